namespace Pipeline.Evaluation.Report;

/// <summary>The unit a plot's y axis names for a metric, from its hierarchical name (loss in nats per token, KL in nats, ...).</summary>
public static class MetricUnits
{
    public static string Of(string metric)
    {
        var name = metric.ToLowerInvariant();
        if (name.StartsWith("timing/", StringComparison.Ordinal) || name.EndsWith("_seconds", StringComparison.Ordinal)) return "seconds";
        if (name.Contains("tokens_per_second")) return "tokens/s";
        if (name.Contains("perplexity")) return "perplexity, exp(nats/token)";
        if (name.Contains("loss") || name.Contains("entropy")) return "nats/token";
        if (name.Contains("approxkl") || name.EndsWith("/kl", StringComparison.Ordinal) || name == "kl") return "nats";
        if (name.Contains("kl_coef")) return "β (coefficient)";
        if (name.Contains("length") && !name.Contains("correlation")) return "tokens";
        if (name.Contains("correlation")) return "Pearson r";
        if (name.Contains("clipfrac") || name.Contains("clipped_ratio") || name.Contains("frac") || name.Contains("accuracy")) return "fraction";
        if (name.Contains("learning_rate")) return "learning rate";
        if (name.Contains("grad_norm")) return "L2 norm";
        if (name.StartsWith("rewards/", StringComparison.Ordinal) || name.Contains("reward") || name.Contains("score")) return "score";
        if (name.Contains("ratio")) return "ratio";
        return "value";
    }
}
