using System.Globalization;
using Pipeline.Contracts;
using Pipeline.Orchestration.Runs;

namespace Pipeline.Cli.Console;

/// <summary>
/// The few lines a person wants after a run: did each stage improve its metric? Read from the stages'
/// own metrics, so the same lines serve embedded runs, `status` and `submit --wait`.
/// </summary>
public static class RunStory
{
    public static IReadOnlyList<string> Lines(RunRecord run)
    {
        var lines = new List<string>();
        if (Metrics(run, StageNames.Pretrain) is { } pre && pre.TryGetValue(MetricNames.EvalPerplexity, out var ppl))
            lines.Add(F($"pretrain: a {pre.GetValueOrDefault("parameters"):N0}-parameter base model reached held-out perplexity {ppl:0.00} on the corpus"));
        if (Metrics(run, StageNames.Ingest) is { } ing)
            lines.Add(F($"ingest: {ing.GetValueOrDefault("rows_read"):N0} rows read, {ing.GetValueOrDefault("train_rows") + ing.GetValueOrDefault("validation_rows"):N0} kept ({ing.GetValueOrDefault("bad_rows"):N0} unreadable, {ing.GetValueOrDefault("dropped_rows"):N0} dropped by cleaning)"));
        if (Metrics(run, StageNames.Sft) is { } sft && sft.TryGetValue(MetricNames.EvalLoss, out var after))
            lines.Add(sft.TryGetValue(MetricNames.BaseEvalLoss, out var before)
                ? F($"sft: validation loss {before:0.000} (base model) → {after:0.000} (fine-tuned): {(after < before ? "lowered" : "NOT lowered")} by {before - after:0.000}")
                : F($"sft: validation loss {after:0.000}"));
        if (Metrics(run, StageNames.Feedback) is { } fb)
            lines.Add(F($"feedback: {fb.GetValueOrDefault("samples"):N0} replies sampled from the policy for {fb.GetValueOrDefault("prompts"):N0} prompts, judged into {fb.GetValueOrDefault("train_pairs") + fb.GetValueOrDefault("validation_pairs"):N0} on-policy pairs ({fb.GetValueOrDefault("prompts_without_pair"):N0} prompts tied), mean judge score {fb.GetValueOrDefault("mean_judge_score"):0.000}"));
        if (Metrics(run, StageNames.RewardModel) is { } rm && rm.TryGetValue(MetricNames.EvalAccuracy, out var accuracy))
            lines.Add(F($"reward model: ranks {accuracy:P1} of {(rm.TryGetValue("validation_pairs", out var pairs) ? F($"{pairs:N0} ") : "")}held-out pairs as the labeler did (chance: 50.0%), mean margin {rm.GetValueOrDefault(MetricNames.EvalMeanMargin):0.000}"));
        foreach (var stage in new[] { StageNames.Ppo, StageNames.Grpo })
            if (Metrics(run, stage) is { } rl) lines.Add(Alignment(stage, rl));
        if (Metrics(run, StageNames.Dpo) is { } dpo)
            lines.Add(F($"dpo: the policy prefers the chosen reply on {dpo.GetValueOrDefault(MetricNames.EvalAccuracy):P1} of held-out pairs, mean implicit reward margin {dpo.GetValueOrDefault(MetricNames.Eval(MetricNames.RewardsMargins)):0.000}"));
        if (Metrics(run, StageNames.Evaluate) is { } evaluation && Evaluation(evaluation) is { } line)
            lines.Add(line);
        return lines;
    }

    /// <summary>
    /// The labeler's score (house_style, else the first judge the stage reports) of the trained models against the best
    /// prompt-only baseline, and whether any RL-trained policy was flagged for reward hacking.
    /// </summary>
    private static string? Evaluation(IReadOnlyDictionary<string, double> m)
    {
        var judge = m.Keys.Any(k => k.EndsWith("/house_style", StringComparison.Ordinal)) ? "house_style"
            : m.Keys.Any(k => k.StartsWith("eval/", StringComparison.Ordinal) && k.EndsWith("/reward_model", StringComparison.Ordinal)) ? "reward_model" : null;
        if (judge is null) return null;
        double? Score(string candidate) => m.TryGetValue($"eval/{candidate}/{judge}", out var v) ? v : null;
        string[] modelNames = ["base_model", "sft_model", "policy_model"];
        string[] baselineNames = ["system_prompt", "few_shot", "rag"];
        var models = modelNames.Where(c => Score(c) is not null).Select(c => F($"{c} {Score(c):0.000}")).ToList();
        var baselines = baselineNames.Where(c => Score(c) is not null).Select(c => F($"{c} {Score(c):0.000}")).ToList();
        var best = baselineNames.Where(c => Score(c) is not null).OrderByDescending(c => Score(c)).FirstOrDefault();
        var verdicts = new List<string>();
        if (best is not null)
            foreach (var (candidate, who) in new[] { ("sft_model", "SFT"), ("policy_model", "the aligned policy") }.Where(c => Score(c.Item1) is not null))
            {
                var margin = Score(candidate)!.Value - Score(best)!.Value;
                verdicts.Add(F($"{who} {(margin > 0 ? "beats" : "does NOT beat")} the best baseline ({best}) by {margin:+0.000;-0.000;0.000}"));
            }
        if (Score("policy_model") is { } policy && Score("sft_model") is { } sft)
            verdicts.Add(F($"alignment {(policy > sft ? "raised" : "did NOT raise")} it over SFT ({policy - sft:+0.000;-0.000;0.000})"));
        var flags = m.Where(kv => kv.Key.EndsWith("/reward_hacking", StringComparison.Ordinal)).ToList();
        if (flags.Count > 0)
            verdicts.Add(flags.Any(kv => kv.Value > 0) ? "⚠ reward hacking flagged (reward model up, labeler not): see the report" : "no reward hacking flagged");
        return F($"evaluate: {judge} on {m.GetValueOrDefault("eval/prompts"):0} held-out prompts: {string.Join(", ", models)} vs baselines {(baselines.Count == 0 ? "none" : string.Join(", ", baselines))}") +
               (verdicts.Count == 0 ? "" : "; " + string.Join("; ", verdicts));
    }

    /// <summary>The judge's score before and after (when a judge is configured), the reward, and the KL it cost.</summary>
    private static string Alignment(string stage, IReadOnlyDictionary<string, double> m)
    {
        var kl = m.GetValueOrDefault(MetricNames.Kl);
        var reward = m.GetValueOrDefault(MetricNames.Scores);
        var judged = m.TryGetValue(MetricNames.EvalRewardStart, out var before) && m.TryGetValue(MetricNames.EvalReward, out var after)
            ? F($"judge score of greedy replies to held-out prompts {before:0.000} (start) → {after:0.000} (aligned): {(after > before ? "raised" : "NOT raised")} by {after - before:0.000}; ")
            : "";
        var stopped = m.ContainsKey("stopped_on_kl_budget") ? " (stopped early on the KL budget)" : "";
        return F($"{stage}: {judged}reward {reward:0.000} at KL {kl:0.000} nats per reply after {m.GetValueOrDefault("steps"):0} steps{stopped}");
    }

    private static IReadOnlyDictionary<string, double>? Metrics(RunRecord run, string stage) =>
        run.Find(stage) is { State: StageState.Completed } s ? s.Metrics : null;

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
