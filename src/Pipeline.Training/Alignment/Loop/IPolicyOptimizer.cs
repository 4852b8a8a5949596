using Pipeline.Training.Alignment.Rollouts;
using TorchSharp.Modules;

namespace Pipeline.Training.Alignment.Loop;

/// <summary>
/// One online algorithm (PPO, GRPO) as <see cref="OnlineAlignmentLoop"/> drives it: what it trains, how many prompts a
/// step takes, and the step itself (rollout, scoring, advantages, update). Everything else (prompt order, schedule,
/// checkpoints, resume, the KL budget, the eval judge) is the loop's.
/// </summary>
public interface IPolicyOptimizer
{
    /// <summary>The parameters the optimizer updates, by checkpoint name (the policy's trainable ones, a value head's).</summary>
    IReadOnlyList<(string Name, Parameter Parameter)> TrainableParameters { get; }

    int PromptsPerStep { get; }

    /// <summary>The KL coefficient and anything else that changes between steps and must be checkpointed.</summary>
    double KlCoefficient { get; set; }

    /// <param name="step">Zero-based index of this step (seeds its sampling).</param>
    AlignmentStep Step(int step, IReadOnlyList<AlignmentPrompt> prompts, AdamW optimizer);
}

/// <summary>What one step did: its metrics (hierarchical names, <see cref="Pipeline.Contracts.MetricNames"/>) and the rollouts with their scores.</summary>
public sealed record AlignmentStep(IReadOnlyDictionary<string, double> Metrics, IReadOnlyList<ScoredRollout> Rollouts);

/// <summary>A completion with its summed reward and each source's score.</summary>
public sealed record ScoredRollout(Rollout Rollout, double Reward, IReadOnlyDictionary<string, double> BySource);
