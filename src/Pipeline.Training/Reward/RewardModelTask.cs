using Pipeline.Contracts;
using Pipeline.Training.Loop;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Training.Reward;

/// <summary>Pairwise reward-model training: chosen and rejected sequences scored in one forward pass.</summary>
public sealed class RewardModelTask(RewardModel model, int padId, double margin, double centerCoefficient) : ITrainingTask<PreferencePair>
{
    private readonly Device device = model.parameters().First().device;

    public nn.Module Model => model;

    public long LossItems(IReadOnlyList<PreferencePair> microBatch) => microBatch.Count;

    public MicroBatchLoss ComputeLoss(IReadOnlyList<PreferencePair> microBatch)
    {
        var (chosen, rejected, tokens) = Score(microBatch);
        return new MicroBatchLoss(PairwiseLoss.PerPair(chosen, rejected, margin, centerCoefficient).sum(), tokens);
    }

    /// <summary>
    /// eval/loss (the training objective's mean), eval/accuracy (share of pairs with r_chosen &gt; r_rejected; a tie
    /// counts as wrong) and eval/mean_margin (mean r_chosen − r_rejected).
    /// </summary>
    public IReadOnlyDictionary<string, double> Evaluate(IReadOnlyList<PreferencePair> examples, int batchSize)
    {
        double loss = 0, correct = 0, margins = 0;
        foreach (var chunk in examples.Chunk(batchSize))
        {
            using var scope = NewDisposeScope();
            var (chosen, rejected, _) = Score(chunk);
            loss += PairwiseLoss.PerPair(chosen, rejected, margin, centerCoefficient).sum().to(ScalarType.Float64).item<double>();
            correct += chosen.gt(rejected).sum().item<long>();
            margins += (chosen - rejected).sum().to(ScalarType.Float64).item<double>();
        }
        var count = (double)examples.Count;
        return new Dictionary<string, double>
        {
            [MetricNames.EvalLoss] = loss / count,
            [MetricNames.EvalAccuracy] = correct / count,
            [MetricNames.EvalMeanMargin] = margins / count,
        };
    }

    /// <summary>Rewards of the chosen and the rejected sequences, each (N), from one right-padded (2N, T) batch.</summary>
    private (Tensor Chosen, Tensor Rejected, long Tokens) Score(IReadOnlyList<PreferencePair> pairs)
    {
        var sequences = pairs.Select(p => p.Chosen).Concat(pairs.Select(p => p.Rejected)).ToList();
        var (ids, mask, tokens) = RightPadding.Collate(sequences, padId, device);
        var rewards = model.call(ids, mask);                                     // (2N)
        var n = pairs.Count;
        return (rewards[..n], rewards[n..], tokens);
    }
}
