using System.Diagnostics;
using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;
using Pipeline.Modeling;
using Pipeline.Modeling.Generation;
using Pipeline.Training.Alignment.Loop;
using Pipeline.Training.Alignment.Objectives;
using Pipeline.Training.Alignment.Rewards;
using Pipeline.Training.Alignment.Rollouts;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Training.Alignment.Grpo;

/// <summary>
/// One GRPO step: G completions per prompt, group-relative advantages, then num_iterations clipped updates with the k3
/// KL term, the loss averaged over every completion token of the batch (DAPO's token-level aggregation).
/// </summary>
public sealed class GrpoOptimizer(
    CausalLanguageModel policy, ReferencePolicy? reference, RolloutSampler sampler, WeightedRewards rewards, GrpoSettings settings, int padId, long seed)
    : IPolicyOptimizer
{
    private readonly Device device = policy.parameters().First().device;

    public IReadOnlyList<(string Name, Parameter Parameter)> TrainableParameters { get; } =
        [.. policy.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter))];

    public int PromptsPerStep => settings.PromptsPerStep;

    /// <summary>GRPO's β is fixed.</summary>
    public double KlCoefficient { get; set; } = settings.Beta;

    public AlignmentStep Step(int step, IReadOnlyList<AlignmentPrompt> prompts, AdamW optimizer)
    {
        using var scope = NewDisposeScope();
        var metrics = new Dictionary<string, double>();

        // 1. rollouts: each prompt num_generations times, groups consecutive
        var clock = Stopwatch.StartNew();
        var group = settings.NumGenerations;
        var repeated = prompts.SelectMany(p => Enumerable.Repeat(p, group)).ToList();
        var options = new GenerationOptions { MaxNewTokens = settings.MaxNewTokens, DoSample = true, Temperature = settings.Temperature, TopP = settings.TopP };
        var rollouts = sampler.Sample(repeated, options, repeated.Count, RolloutSampler.Mix(seed, step));
        metrics[MetricNames.TimingRollout] = clock.Elapsed.TotalSeconds;

        // 2. rewards, and advantages relative to each prompt's group
        clock.Restart();
        var (rewardValues, scored) = RolloutScoring.Score(rollouts, rewards, settings.MissingEosPenalty, metrics);
        var rewardTensor = tensor(rewardValues, ScalarType.Float32, device);
        var (advantages, groupStd) = GroupRelativeAdvantage.Compute(rewardTensor, group, settings.ScaleRewards);   // (B), (N)
        metrics[MetricNames.Scores] = rewardValues.Average();
        metrics[MetricNames.RewardStd] = rewardTensor.std().item<float>();
        metrics[MetricNames.FracRewardZeroStd] = groupStd.lt(1e-6).to(ScalarType.Float32).mean().item<float>();
        metrics[MetricNames.TimingScore] = clock.Elapsed.TotalSeconds;

        // 3. the batch as tensors; log-probabilities of the rollout policy (only needed when it is updated more than once
        //    per batch) and of the reference (only with a KL term)
        clock.Restart();
        var all = PolicySequences.Collate(rollouts, padId, device);
        var promptWidth = all.PromptWidth;
        var completionWidth = (int)all.CompletionIds.shape[1];
        var mask = all.CompletionMask;                                                          // (B, C)
        var tokens = mask.sum().item<float>();
        var microBatches = Enumerable.Range(0, rollouts.Count).Chunk(settings.BatchSize).ToList();
        Tensor? oldLogProbabilities = null, referenceLogProbabilities = null;
        using (no_grad())
        {
            if (settings.NumIterations > 1) oldLogProbabilities = cat([.. microBatches.Select(rows => Micro(rows).Forward(policy, settings.Temperature).LogProbabilities)], 0);
            if (reference is not null && settings.Beta > 0)
                referenceLogProbabilities = cat([.. microBatches.Select(rows => reference.LogProbabilities(Micro(rows), settings.Temperature))], 0);
        }

        // 4. updates: Σ over tokens of (clipped surrogate + β·k3) / all completion tokens of the batch
        double lossSum = 0, klSum = 0, clipSum = 0, approxKlSum = 0, entropySum = 0, gradNorm = 0;
        for (var iteration = 0; iteration < settings.NumIterations; iteration++)
        {
            optimizer.zero_grad();
            foreach (var rows in microBatches)
            {
                using var micro = NewDisposeScope();
                var index = tensor(rows.Select(r => (long)r).ToArray(), device: device);
                var sequences = Micro(rows);
                var rowMask = mask.index_select(0, index);
                var (logProbabilities, _, entropy) = sequences.Forward(policy, settings.Temperature);
                var old = oldLogProbabilities?.index_select(0, index) ?? logProbabilities.detach();
                var (perToken, clipped, approxKl) = PolicyLoss.ClippedSurrogate(logProbabilities, old, advantages.index_select(0, index).unsqueeze(1),
                    settings.EpsilonLow, settings.EpsilonHigh);
                if (referenceLogProbabilities is not null)
                {
                    var kl = KlPenalty.K3(logProbabilities, referenceLogProbabilities.index_select(0, index));
                    perToken = perToken + settings.Beta * kl;
                    klSum += (kl.detach() * rowMask).sum().item<float>();
                }
                var loss = (perToken * rowMask).sum() / tokens;
                loss.backward();
                lossSum += loss.detach().item<float>();
                clipSum += (clipped * rowMask).sum().item<float>();
                approxKlSum += (approxKl.detach() * rowMask).sum().item<float>();
                entropySum += (entropy * rowMask).sum().item<float>();
            }
            var maxNorm = settings.MaxGradNorm > 0 ? settings.MaxGradNorm : double.PositiveInfinity;
            gradNorm = nn.utils.clip_grad_norm_(TrainableParameters.Select(p => p.Parameter), maxNorm);
            optimizer.step();
        }
        metrics[MetricNames.TimingUpdate] = clock.Elapsed.TotalSeconds;

        // 5. metrics, per token over the batch (and over iterations)
        var tokenCount = (double)tokens * settings.NumIterations;
        metrics[MetricNames.PolicyLoss] = lossSum / settings.NumIterations;
        metrics[MetricNames.PolicyClipFraction] = clipSum / tokenCount;
        metrics[MetricNames.PolicyApproxKl] = approxKlSum / tokenCount;
        metrics[MetricNames.Entropy] = entropySum / tokenCount;
        metrics[MetricNames.GradNorm] = gradNorm;
        // objective/kl is per completion (nats summed over its tokens), as the KL budget and PPO report it.
        metrics[MetricNames.Kl] = referenceLogProbabilities is null ? 0 : klSum / settings.NumIterations / rollouts.Count;
        metrics[MetricNames.KlCoefficient] = KlCoefficient;
        metrics[MetricNames.TokensPerSecond] = rollouts.Sum(r => r.Completion.Length) / Math.Max(1e-9, metrics[MetricNames.TimingRollout]);
        return new AlignmentStep(metrics, scored);

        PolicySequences Micro(int[] rows) => PolicySequences.Collate([.. rows.Select(r => rollouts[r])], padId, device, promptWidth, completionWidth);
    }
}
