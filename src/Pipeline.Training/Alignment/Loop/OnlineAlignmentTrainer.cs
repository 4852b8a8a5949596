using System.Text.Json;
using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;
using Pipeline.Modeling;
using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Modeling.Generation;
using Pipeline.Training.Alignment.Rewards;
using Pipeline.Training.Alignment.Rollouts;
using Pipeline.Training.FineTuning;
using Pipeline.Training.Loop;

namespace Pipeline.Training.Alignment.Loop;

/// <summary>Everything an algorithm needs that PPO and GRPO set up alike.</summary>
public sealed record AlignmentSetup(
    CausalLanguageModel Policy, AdaptedModel Adapted, RolloutSampler Sampler, WeightedRewards Rewards, Func<ReferencePolicy> Reference, int PadId, long Seed);

/// <summary>
/// Sets up and runs PPO or GRPO: checks the inputs before any compute (reward sources, stop tokens, prompts), applies the
/// fine-tuning method, runs <see cref="OnlineAlignmentLoop"/>, and writes the policy with its metric history
/// (metrics.jsonl) and samples (samples.jsonl).
/// </summary>
public static class OnlineAlignmentTrainer
{
    public const string MetricsFile = "metrics.jsonl";
    public const string SamplesFile = "samples.jsonl";

    /// <param name="extraFiles">Writes what the algorithm adds to the output (PPO's value head).</param>
    public static async Task<OnlineAlignmentResult> TrainAsync(OnlineAlignmentJob job, OnlineAlignmentSettings settings,
        Func<AlignmentSetup, IPolicyOptimizer> createAlgorithm, Action<string>? extraFiles = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var seed = settings.Seed ?? 0;

        // 1. what can be checked without compute: reward sources, stop tokens, prompts
        var problems = job.Rewards.Problems(job.Stage, settings);
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems));
        if (MethodSupport.AlignmentRefusal(settings.Method) is { } refusal)
            throw new ArgumentException($"stages.{job.Stage}.method: {refusal}.");
        var stops = RolloutSampler.StopTokens(job.Tokenizer, job.ChatTemplate.EndOfTurnToken);
        if (stops.Count == 0)
            throw new ArgumentException($"The policy's tokenizer has no end-of-sequence token (no eos_token, no stop ids, and '{job.ChatTemplate.EndOfTurnToken}' " +
                "is not in its vocabulary), so no completion could end before max_new_tokens; set eos_token in tokenizer_config.json.");
        var prompts = AlignmentPrompts.From(job.Train, job.Tokenizer, job.ChatTemplate, settings.MaxPromptLength);
        if (prompts.Count == 0)
            throw new ArgumentException($"None of the {job.Train.Count} training rows has a prompt ending in a user turn to sample completions for.");
        var evalPrompts = AlignmentPrompts.From(job.Validation, job.Tokenizer, job.ChatTemplate, settings.MaxPromptLength).Take(settings.EvalPrompts).ToList();

        // 2. the policy on its device and dtype with the fine-tuning method applied; the reward sources
        var device = TrainingEnvironment.ResolveDevice(settings.Device);
        var dtype = TrainingEnvironment.ResolveDtype(settings.Dtype, device);
        ModelFactory.MoveTo(job.Policy, device, dtype);
        var adapted = FineTuningPolicies.For(settings, job.Policy.Config.Architecture, dtype, seed).Apply(job.Policy);
        var policy = adapted.Model;
        var padId = job.Tokenizer.SpecialTokens.PaddingId;
        var sampler = new RolloutSampler(policy, job.Tokenizer, stops, padId);
        var rewards = job.Rewards.Resolve(settings.Rewards);
        var judge = settings.EvalReward is { } judgeName ? job.Rewards.Resolve(judgeName) : null;
        ReferencePolicy Reference() => adapted.SavesAdapter
            ? ReferencePolicy.AdaptersDisabled(policy)
            : ReferencePolicy.Frozen(WithDevice(job.LoadReference(), device, dtype));
        var algorithm = createAlgorithm(new AlignmentSetup(policy, adapted, sampler, rewards, Reference, padId, seed));

        // 3. the loop
        var greedy = new GenerationOptions { MaxNewTokens = settings.MaxNewTokens };
        var run = await new OnlineAlignmentLoop(algorithm, settings, seed).RunAsync(prompts, job.Hooks, judge, evalPrompts,
            p => sampler.Sample(p, greedy, settings.BatchSize, 0), cancellationToken).ConfigureAwait(false);

        // 4. the output, unless this was only a slice
        string? output = null;
        if (run.Outcome != AlignmentOutcome.Yielded)
        {
            output = job.OutputDirectory;
            adapted.Save(output, job.BaseModelNameOrPath);
            if (job.TokenizerDirectory is { } tokenizerDirectory) TokenizerFiles.Copy(tokenizerDirectory, output);
            extraFiles?.Invoke(output);
            WriteJsonLines(Path.Combine(output, MetricsFile), run.History);
            WriteJsonLines(Path.Combine(output, SamplesFile), run.Samples);
        }
        return new OnlineAlignmentResult(run, Summary(run), output, adapted.SavesAdapter);
    }

    private static CausalLanguageModel WithDevice(CausalLanguageModel model, TorchSharp.torch.Device device, TorchSharp.torch.ScalarType dtype)
    {
        ModelFactory.MoveTo(model, device, dtype);
        return model;
    }

    /// <summary>The last step's metrics, the judge's first and last scores, and the outcome.</summary>
    private static IReadOnlyDictionary<string, double> Summary(AlignmentResult run)
    {
        var metrics = new Dictionary<string, double>(run.Last) { ["steps"] = run.Step };
        var judged = run.History.Where(h => h.ContainsKey(MetricNames.EvalReward)).ToList();
        if (judged.Count > 0) metrics[MetricNames.EvalReward] = judged[^1][MetricNames.EvalReward];
        if (run.Outcome == AlignmentOutcome.StoppedOnKlBudget) metrics["stopped_on_kl_budget"] = 1;
        metrics.Remove("step");
        return metrics;
    }

    private static void WriteJsonLines<T>(string path, IEnumerable<T> rows)
    {
        var options = new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        File.WriteAllLines(path, rows.Select(r => JsonSerializer.Serialize(r, options)));
    }
}
