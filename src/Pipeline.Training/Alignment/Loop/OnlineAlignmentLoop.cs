using System.Diagnostics;
using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;
using Pipeline.Training.Alignment.Rewards;
using Pipeline.Training.Alignment.Rollouts;
using Pipeline.Training.Checkpoints;
using Pipeline.Training.Loop;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Training.Alignment.Loop;

/// <summary>Why <see cref="OnlineAlignmentLoop.RunAsync"/> returned.</summary>
public enum AlignmentOutcome
{
    Completed,
    /// <summary>A checkpoint was saved and the caller asked to stop (a slice); resume from it.</summary>
    Yielded,
    /// <summary>A step went over max_kl; the weights are the last checkpoint's under the budget.</summary>
    StoppedOnKlBudget,
}

/// <summary>The run so far (history included from earlier slices).</summary>
public sealed record AlignmentResult(
    AlignmentOutcome Outcome, int Step, int TotalSteps, IReadOnlyList<IReadOnlyDictionary<string, double>> History,
    IReadOnlyList<AlignmentSample> Samples, string? StopReason)
{
    /// <summary>The last step's metrics (and the eval judge's latest score), or empty before the first step.</summary>
    public IReadOnlyDictionary<string, double> Last => History.Count == 0 ? new Dictionary<string, double>() : History[^1];
}

/// <summary>
/// The outer loop of online alignment, shared by PPO and GRPO: prompts in a seeded order per epoch, the learning-rate
/// schedule, the step, metrics and samples, the independent judge every eval_every steps, the KL budget, and resumable
/// checkpoints. On the CPU in float32 a run resumed from any checkpoint ends with the same weights, bit for bit, as the
/// uninterrupted run: sampling seeds and mini-batch orders are derived from (seed, step), never drawn from a shared
/// generator, and the optimizer, the KL coefficient and torch's RNG are checkpointed.
/// </summary>
public sealed class OnlineAlignmentLoop(IPolicyOptimizer algorithm, OnlineAlignmentSettings settings, long seed)
{
    private const int SamplesPerStep = 4;

    /// <summary>Steps a run over this many prompts takes: max_steps, else epochs × ⌈prompts / prompts per step⌉.</summary>
    public static int TotalSteps(OnlineAlignmentSettings settings, int prompts, int promptsPerStep) =>
        settings.MaxSteps > 0 ? settings.MaxSteps : settings.Epochs * ((prompts + promptsPerStep - 1) / promptsPerStep);

    /// <param name="judge">Scores greedy replies to <paramref name="evalPrompts"/> as eval/reward (the eval_reward source), or null.</param>
    /// <param name="judgeReplies">Generates the greedy replies the judge scores.</param>
    public async Task<AlignmentResult> RunAsync(IReadOnlyList<AlignmentPrompt> prompts, TrainingHooks hooks,
        IRewardSource? judge = null, IReadOnlyList<AlignmentPrompt>? evalPrompts = null, Func<IReadOnlyList<AlignmentPrompt>, IReadOnlyList<Rollout>>? judgeReplies = null,
        CancellationToken cancellationToken = default)
    {
        if (prompts.Count == 0) throw new ArgumentException("There are no prompts to sample completions for.", nameof(prompts));
        var parameters = algorithm.TrainableParameters;
        if (parameters.Count == 0) throw new InvalidOperationException("The policy has no trainable parameter; the fine-tuning method froze everything.");
        var (decay, noDecay) = ParameterGroups.Split(parameters);
        var ordered = (IReadOnlyList<(string Name, Parameter Parameter)>)[.. decay, .. noDecay];
        using var optimizer = DecoupledWeightDecay.CreateOptimizer(ordered, decay.Count, settings);

        var totalSteps = TotalSteps(settings, prompts.Count, algorithm.PromptsPerStep);
        var history = new List<IReadOnlyDictionary<string, double>>();
        var samples = new List<AlignmentSample>();
        var step = 0;
        if (hooks.ResumeFrom is { } resumeFrom)
        {
            var state = TrainingCheckpoint.ReadJson<AlignmentState>(resumeFrom, AlignmentState.FileName);
            CheckSameRun(state, resumeFrom, totalSteps, prompts.Count);
            TrainingCheckpoint.Restore(resumeFrom, ordered, optimizer);
            (step, algorithm.KlCoefficient) = (state.Step, state.KlCoefficient);
            history.AddRange(state.History);
            samples.AddRange(state.Samples);
        }
        else
        {
            torch.manual_seed(seed);
        }

        var judgeEvery = settings.EvalEvery;
        double? judgeStart = history.FirstOrDefault(h => h.ContainsKey(MetricNames.EvalRewardStart))?[MetricNames.EvalRewardStart];
        if (judge is not null && step == 0) judgeStart = Judge();
        var lastGood = settings.MaxKl > 0 ? Snapshot(ordered) : [];   // only the KL budget needs a copy
        var workingDirectory = hooks.WorkingDirectory ?? Directory.CreateTempSubdirectory("alignment-checkpoints-").FullName;
        try
        {
            while (step < totalSteps)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var learningRate = LearningRateSchedule.At(step, totalSteps, LearningRateSchedule.WarmupSteps(settings.WarmupRatio, totalSteps), settings.LrScheduler, settings.LearningRate);
                foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;

                var started = Stopwatch.GetTimestamp();
                var result = algorithm.Step(step, PromptsOf(step, prompts), optimizer);
                var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                step++;

                var metrics = new Dictionary<string, double>(result.Metrics) { [MetricNames.LearningRate] = learningRate, ["step"] = step };
                if (judgeStart is { } start) metrics[MetricNames.EvalRewardStart] = start;
                var last = step == totalSteps;
                if (judge is not null && (last || (judgeEvery > 0 && step % judgeEvery == 0))) metrics[MetricNames.EvalReward] = Judge();
                history.Add(metrics);
                if (settings.SampleEvery > 0 && (step % settings.SampleEvery == 0 || step == 1 || last))
                    samples.AddRange(result.Rollouts.Take(SamplesPerStep).Select(r => Sample(step, r)));
                hooks.Progress?.Invoke(new TrainingProgress(step, totalSteps, 0, metrics.GetValueOrDefault(MetricNames.PolicyLoss), learningRate,
                    metrics.GetValueOrDefault(MetricNames.GradNorm), metrics.GetValueOrDefault(MetricNames.TokensPerSecond),
                    TimeSpan.FromSeconds(seconds * (totalSteps - step)), metrics));

                // The KL budget: a step past it ends the run on the last checkpoint's weights, which were under it.
                if (settings.MaxKl > 0 && metrics.GetValueOrDefault(MetricNames.Kl) > settings.MaxKl)
                {
                    Restore(ordered, lastGood);
                    var reason = $"stopped at step {step}: objective/kl {metrics[MetricNames.Kl]:0.###} exceeded max_kl {settings.MaxKl}; " +
                                 "kept the weights of the last checkpoint under the budget";
                    return new AlignmentResult(AlignmentOutcome.StoppedOnKlBudget, step, totalSteps, history, samples, reason);
                }

                if (last || step % settings.CheckpointEvery == 0)
                {
                    if (settings.MaxKl > 0)
                    {
                        DisposeSnapshot(lastGood);
                        lastGood = Snapshot(ordered);
                    }
                    if (hooks.CheckpointSaved is { } saved)
                    {
                        await SaveCheckpointAsync(saved, workingDirectory, step, totalSteps, prompts.Count, history, samples, ordered, optimizer).ConfigureAwait(false);
                        if (!last && hooks.ShouldYield?.Invoke() == true)
                            return new AlignmentResult(AlignmentOutcome.Yielded, step, totalSteps, history, samples, null);
                    }
                }
            }
            return new AlignmentResult(AlignmentOutcome.Completed, step, totalSteps, history, samples, null);
        }
        finally
        {
            DisposeSnapshot(lastGood);
            if (hooks.WorkingDirectory is null && Directory.Exists(workingDirectory)) Directory.Delete(workingDirectory, recursive: true);
        }

        double Judge()
        {
            if (judge is null || evalPrompts is null || evalPrompts.Count == 0 || judgeReplies is null) return double.NaN;
            var replies = judgeReplies(evalPrompts);
            return judge.Score([.. replies.Select(r => new RewardQuery(r.Prompt.Messages, r.CompletionText))]).Average();
        }
    }

    /// <summary>The prompts of a step: positions step·n … step·n + n − 1 of the epoch-wise seeded order.</summary>
    private IReadOnlyList<AlignmentPrompt> PromptsOf(int step, IReadOnlyList<AlignmentPrompt> prompts)
    {
        var perStep = algorithm.PromptsPerStep;
        var chosen = new List<AlignmentPrompt>(perStep);
        for (var i = 0; i < perStep; i++)
        {
            var position = (long)step * perStep + i;
            var epoch = (int)(position / prompts.Count);
            chosen.Add(prompts[DataOrder.Permutation(seed, epoch, prompts.Count)[(int)(position % prompts.Count)]]);
        }
        return chosen;
    }

    private static AlignmentSample Sample(int step, ScoredRollout scored) => new(step, scored.Rollout.Prompt.Id,
        scored.Rollout.Prompt.Messages.LastOrDefault(m => m.Role == "user")?.Content ?? "", scored.Rollout.CompletionText, scored.Reward,
        scored.BySource, scored.Rollout.Finished);

    private void CheckSameRun(AlignmentState state, string source, int totalSteps, int prompts)
    {
        var mismatches = new List<string>();
        if (state.FormatVersion != AlignmentState.CurrentFormatVersion) mismatches.Add($"format_version: checkpoint {state.FormatVersion}, this build {AlignmentState.CurrentFormatVersion}");
        if (state.Seed != seed) mismatches.Add($"seed: checkpoint {state.Seed}, this run {seed}");
        if (state.Prompts != prompts) mismatches.Add($"prompts: checkpoint {state.Prompts}, this run {prompts}");
        if (state.PromptsPerStep != algorithm.PromptsPerStep) mismatches.Add($"prompts per step: checkpoint {state.PromptsPerStep}, this run {algorithm.PromptsPerStep}");
        if (state.TotalSteps != totalSteps) mismatches.Add($"total steps: checkpoint {state.TotalSteps}, this run {totalSteps}");
        if (mismatches.Count > 0)
            throw new TrainingCheckpointException($"The checkpoint in '{source}' was written by a different run ({string.Join("; ", mismatches)}). " +
                "Resume with the same data and settings, or start a new run.");
    }

    private async Task SaveCheckpointAsync(Func<string, int, Task> saved, string workingDirectory, int step, int totalSteps, int prompts,
        List<IReadOnlyDictionary<string, double>> history, List<AlignmentSample> samples, IReadOnlyList<(string Name, Parameter Parameter)> ordered, AdamW optimizer)
    {
        var directory = Path.Combine(workingDirectory, $"checkpoint-{step:D6}");
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        using (NewDisposeScope()) TrainingCheckpoint.WriteTensors(directory, ordered, optimizer);
        TrainingCheckpoint.WriteJson(Path.Combine(directory, AlignmentState.FileName), new AlignmentState
        {
            Step = step, TotalSteps = totalSteps, Seed = seed, Prompts = prompts, PromptsPerStep = algorithm.PromptsPerStep,
            KlCoefficient = algorithm.KlCoefficient, History = [.. history], Samples = [.. samples],
        });
        try
        {
            await saved(directory, step).ConfigureAwait(false);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A CPU copy of the trainable parameters (what the KL budget falls back to).</summary>
    private static List<Tensor> Snapshot(IReadOnlyList<(string Name, Parameter Parameter)> parameters)
    {
        using var noGrad = no_grad();
        return [.. parameters.Select(p =>
        {
            var copy = p.Parameter.detach().cpu().clone();
            copy.DetachFromDisposeScope();
            return copy;
        })];
    }

    private static void Restore(IReadOnlyList<(string Name, Parameter Parameter)> parameters, List<Tensor> snapshot)
    {
        using var noGrad = no_grad();
        for (var i = 0; i < parameters.Count; i++) parameters[i].Parameter.copy_(snapshot[i]);
    }

    private static void DisposeSnapshot(List<Tensor> snapshot)
    {
        foreach (var tensor in snapshot) tensor.Dispose();
    }
}
