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
using Pipeline.Training.Loop;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Training.Alignment.Ppo;

/// <summary>
/// One PPO step (InstructGPT; TRL's PPOTrainer): a completion per prompt, per-token rewards −β·KL with the clipped
/// score at the last token, GAE, whitened advantages, then ppo_epochs passes over shuffled mini-batches of the clipped
/// policy loss plus vf_coef × the clipped value loss, and the KL controller's update.
/// </summary>
public sealed class PpoOptimizer : IPolicyOptimizer
{
    private readonly CausalLanguageModel policy;
    private readonly ValueHead valueHead;
    private readonly ReferencePolicy reference;
    private readonly RolloutSampler sampler;
    private readonly WeightedRewards rewards;
    private readonly PpoSettings settings;
    private readonly int padId;
    private readonly long seed;
    private readonly Device device;
    private AdaptiveKlController controller;

    public PpoOptimizer(CausalLanguageModel policy, ValueHead valueHead, ReferencePolicy reference, RolloutSampler sampler, WeightedRewards rewards,
        PpoSettings settings, int padId, long seed)
    {
        (this.policy, this.valueHead, this.reference, this.sampler, this.rewards, this.settings, this.padId, this.seed) =
            (policy, valueHead, reference, sampler, rewards, settings, padId, seed);
        device = policy.parameters().First().device;
        controller = new AdaptiveKlController(settings.KlCoef, settings.AdaptiveKl, settings.TargetKl, settings.KlHorizon);
        TrainableParameters =
        [
            .. policy.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter)),
            (ValueHead.WeightName, valueHead.Weight), (ValueHead.BiasName, valueHead.Bias),
        ];
    }

    public IReadOnlyList<(string Name, Parameter Parameter)> TrainableParameters { get; }

    public int PromptsPerStep => settings.RolloutBatchSize;

    public double KlCoefficient
    {
        get => controller.Value;
        set => controller = controller with { Value = value };
    }

    public AlignmentStep Step(int step, IReadOnlyList<AlignmentPrompt> prompts, AdamW optimizer)
    {
        using var scope = NewDisposeScope();
        var metrics = new Dictionary<string, double>();

        // 1. rollouts: one completion per prompt
        var clock = Stopwatch.StartNew();
        var options = new GenerationOptions { MaxNewTokens = settings.MaxNewTokens, DoSample = true, Temperature = settings.Temperature, TopP = settings.TopP };
        var rollouts = sampler.Sample(prompts, options, prompts.Count, RolloutSampler.Mix(seed, step));
        metrics[MetricNames.TimingRollout] = clock.Elapsed.TotalSeconds;

        // 2. scores, clipped so one outlier cannot dominate an update
        clock.Restart();
        var (scoreValues, scored) = RolloutScoring.Score(rollouts, rewards, settings.MissingEosPenalty, metrics);
        var scores = tensor(scoreValues, ScalarType.Float32, device);                          // (B)
        if (settings.ScoreClip > 0) scores = scores.clamp(-settings.ScoreClip, settings.ScoreClip);
        metrics[MetricNames.TimingScore] = clock.Elapsed.TotalSeconds;

        // 3. the rollout policy's log-probabilities and values, and the reference's, without gradients
        clock.Restart();
        var all = PolicySequences.Collate(rollouts, padId, device);
        var (promptWidth, completionWidth) = (all.PromptWidth, (int)all.CompletionIds.shape[1]);
        var mask = all.CompletionMask;                                                          // (B, C)
        var microBatches = Enumerable.Range(0, rollouts.Count).Chunk(settings.BatchSize).ToList();
        Tensor oldLogProbabilities, oldValues, referenceLogProbabilities, entropy;
        using (no_grad())
        {
            var forwards = microBatches.Select(rows => Micro(rows).Forward(policy, settings.Temperature)).ToList();
            oldLogProbabilities = cat([.. forwards.Select(f => f.LogProbabilities)], 0);        // (B, C)
            oldValues = cat([.. forwards.Select(f => valueHead.call(f.Hidden))], 0) * mask;     // (B, C)
            entropy = cat([.. forwards.Select(f => f.Entropy)], 0);                              // (B, C)
            referenceLogProbabilities = cat([.. microBatches.Select(rows => reference.LogProbabilities(Micro(rows), settings.Temperature))], 0);
        }

        // 4. per-token rewards: −β·KL everywhere, the score added at each completion's last token
        var kl = KlPenalty.Estimate(settings.KlEstimator, oldLogProbabilities, referenceLogProbabilities) * mask;   // (B, C)
        var lastToken = (mask.sum(1) - 1).to(ScalarType.Int64);                                 // (B)
        var tokenRewards = (-KlCoefficient * kl).scatter_add(1, lastToken.unsqueeze(1), scores.unsqueeze(1));   // (B, C)

        // 5. advantages (GAE, whitened) and value targets
        var (advantages, returns) = GeneralizedAdvantageEstimation.Estimate(tokenRewards, oldValues, mask, settings.Gamma, settings.Lam);
        if (settings.WhitenAdvantages) advantages = MaskedStatistics.MaskedWhiten(advantages, mask) * mask;

        // 6. ppo_epochs passes over shuffled mini-batches, each one optimizer step over its micro-batches
        var totals = new UpdateTotals();
        var miniBatches = rollouts.Count / settings.MiniBatchSize;
        for (var epoch = 0; epoch < settings.PpoEpochs; epoch++)
        {
            var order = DataOrder.Permutation(RolloutSampler.Mix(seed, step), epoch, rollouts.Count);
            for (var m = 0; m < miniBatches; m++)
            {
                var miniBatch = order[(m * settings.MiniBatchSize)..((m + 1) * settings.MiniBatchSize)];
                var miniIndex = tensor(miniBatch.Select(r => (long)r).ToArray(), device: device);
                var tokens = mask.index_select(0, miniIndex).sum().item<float>();
                optimizer.zero_grad();
                foreach (var rows in miniBatch.Chunk(settings.BatchSize)) UpdateMicroBatch(rows, tokens, totals);
                var maxNorm = settings.MaxGradNorm > 0 ? settings.MaxGradNorm : double.PositiveInfinity;
                totals.GradNorm = nn.utils.clip_grad_norm_(TrainableParameters.Select(p => p.Parameter), maxNorm);
                optimizer.step();
            }
        }
        metrics[MetricNames.TimingUpdate] = clock.Elapsed.TotalSeconds;

        // 7. the KL controller sees this batch's mean KL per completion
        var sequenceKl = kl.sum(1);                                                             // (B)
        var meanKl = sequenceKl.mean().item<float>();
        var updatedFrom = KlCoefficient;
        controller = controller.Update(meanKl, rollouts.Count);

        // 8. metrics
        var tokenCount = mask.sum().item<float>() * settings.PpoEpochs;
        metrics[MetricNames.Kl] = meanKl;
        metrics[MetricNames.KlCoefficient] = updatedFrom;
        metrics[MetricNames.Scores] = scores.mean().item<float>();
        metrics[MetricNames.RlhfReward] = (scores - updatedFrom * sequenceKl).mean().item<float>();
        metrics[MetricNames.Entropy] = (entropy * mask).sum(1).mean().item<float>();
        metrics[MetricNames.PolicyLoss] = totals.PolicyLoss / (miniBatches * settings.PpoEpochs);
        metrics[MetricNames.ValueLoss] = totals.ValueLoss / (miniBatches * settings.PpoEpochs);
        metrics[MetricNames.PolicyClipFraction] = totals.Clipped / tokenCount;
        metrics[MetricNames.PolicyApproxKl] = totals.ApproxKl / tokenCount;
        metrics[MetricNames.ValueClipFraction] = totals.ValueClipped / tokenCount;
        metrics[MetricNames.Ratio] = totals.Ratio / tokenCount;
        metrics[MetricNames.GradNorm] = totals.GradNorm;
        metrics[MetricNames.TokensPerSecond] = rollouts.Sum(r => r.Completion.Length) / Math.Max(1e-9, metrics[MetricNames.TimingRollout]);
        return new AlignmentStep(metrics, scored);

        PolicySequences Micro(int[] rows) => PolicySequences.Collate([.. rows.Select(r => rollouts[r])], padId, device, promptWidth, completionWidth);

        void UpdateMicroBatch(int[] rows, float miniBatchTokens, UpdateTotals sums)
        {
            using var micro = NewDisposeScope();
            var index = tensor(rows.Select(r => (long)r).ToArray(), device: device);
            var rowMask = mask.index_select(0, index);
            var (logProbabilities, hidden, _) = Micro(rows).Forward(policy, settings.Temperature);
            var values = valueHead.call(hidden);
            var old = oldLogProbabilities.index_select(0, index);
            var (policyLoss, clipped, approxKl) = PolicyLoss.ClippedSurrogate(logProbabilities, old, advantages.index_select(0, index),
                settings.Cliprange, settings.Cliprange);
            var (valueLoss, valueClipped) = ValueLoss.Clipped(values, oldValues.index_select(0, index), returns.index_select(0, index), settings.CliprangeValue);
            var policyTerm = (policyLoss * rowMask).sum() / miniBatchTokens;
            var valueTerm = (valueLoss * rowMask).sum() / miniBatchTokens;
            (policyTerm + settings.VfCoef * valueTerm).backward();
            sums.PolicyLoss += policyTerm.detach().item<float>();
            sums.ValueLoss += valueTerm.detach().item<float>();
            sums.Clipped += (clipped * rowMask).sum().item<float>();
            sums.ApproxKl += (approxKl.detach() * rowMask).sum().item<float>();
            sums.ValueClipped += (valueClipped * rowMask).sum().item<float>();
            sums.Ratio += ((logProbabilities.detach() - old).exp() * rowMask).sum().item<float>();
        }
    }

    private sealed class UpdateTotals
    {
        public double PolicyLoss, ValueLoss, Clipped, ApproxKl, ValueClipped, Ratio, GradNorm;
    }
}
