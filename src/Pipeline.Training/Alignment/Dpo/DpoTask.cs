using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;
using Pipeline.Modeling;
using Pipeline.Training.Alignment.Objectives;
using Pipeline.Training.Loop;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Training.Alignment.Dpo;

/// <summary>DPO as a task of the shared <see cref="TrainingLoop{TExample}"/>: chosen and rejected replies in one forward pass.</summary>
public sealed class DpoTask(CausalLanguageModel model, DpoSettings settings, int padId) : ITrainingTask<DpoPair>
{
    private readonly Device device = model.parameters().First().device;
    private double chosenSum, rejectedSum, correct, marginSum;
    private long pairs;

    public nn.Module Model => model;

    public long LossItems(IReadOnlyList<DpoPair> microBatch) => microBatch.Count;

    public MicroBatchLoss ComputeLoss(IReadOnlyList<DpoPair> microBatch)
    {
        var (loss, chosen, rejected, tokens) = Forward(microBatch);
        Accumulate(chosen, rejected, microBatch.Count);
        return new MicroBatchLoss(loss.sum(), tokens);
    }

    /// <summary>The mean implicit rewards of the pairs trained since the last call (TRL's rewards/* of a step), then reset.</summary>
    public IReadOnlyDictionary<string, double> TakeStepMetrics()
    {
        var count = Math.Max(1, pairs);
        var metrics = new Dictionary<string, double>
        {
            [MetricNames.RewardsChosen] = chosenSum / count, [MetricNames.RewardsRejected] = rejectedSum / count,
            [MetricNames.RewardsAccuracies] = correct / count, [MetricNames.RewardsMargins] = marginSum / count,
        };
        (chosenSum, rejectedSum, correct, marginSum, pairs) = (0, 0, 0, 0, 0);
        return metrics;
    }

    public IReadOnlyDictionary<string, double> Evaluate(IReadOnlyList<DpoPair> examples, int batchSize)
    {
        double loss = 0;
        foreach (var chunk in examples.Chunk(batchSize))
        {
            using var scope = NewDisposeScope();
            var (perPair, chosen, rejected, _) = Forward(chunk);
            loss += perPair.sum().to(ScalarType.Float64).item<double>();
            Accumulate(chosen, rejected, chunk.Length);
        }
        var metrics = TakeStepMetrics().ToDictionary(kv => MetricNames.Eval(kv.Key), kv => kv.Value);
        metrics[MetricNames.EvalLoss] = loss / examples.Count;
        metrics[MetricNames.EvalAccuracy] = metrics[MetricNames.Eval(MetricNames.RewardsAccuracies)];
        return metrics;
    }

    private (Tensor Loss, Tensor Chosen, Tensor Rejected, long Tokens) Forward(IReadOnlyList<DpoPair> pairsOfBatch)
    {
        var n = pairsOfBatch.Count;
        var (sums, counts) = SequenceLogProbabilities.Compute(model, [.. pairsOfBatch.Select(p => p.Chosen), .. pairsOfBatch.Select(p => p.Rejected)], padId, device);
        var reference = tensor(pairsOfBatch.Select(p => p.ReferenceChosen).Concat(pairsOfBatch.Select(p => p.ReferenceRejected)).ToArray(), device: device);
        // IPO compares per-token means (Azar et al.; TRL divides by the reply length); the others compare sums.
        if (settings.Loss == DpoLoss.Ipo) (sums, reference) = (sums / counts, reference / counts);
        var (loss, chosen, rejected) = DpoObjective.Compute(sums[..n], sums[n..], reference[..n], reference[n..], settings.Beta, settings.Loss, settings.LabelSmoothing);
        var tokens = pairsOfBatch.Sum(p => (long)p.Chosen.InputIds.Count + p.Rejected.InputIds.Count);
        return (loss, chosen, rejected, tokens);
    }

    private void Accumulate(Tensor chosen, Tensor rejected, int count)
    {
        chosenSum += chosen.sum().to(ScalarType.Float64).item<double>();
        rejectedSum += rejected.sum().to(ScalarType.Float64).item<double>();
        correct += chosen.gt(rejected).sum().item<long>();
        marginSum += (chosen - rejected).sum().to(ScalarType.Float64).item<double>();
        pairs += count;
    }
}
