using Pipeline.Contracts;
using Pipeline.Modeling;
using Pipeline.Training.Loop;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Training.Sft;

/// <summary>Next-token loss on the assistant tokens of chat sequences (see <see cref="SftEncoder"/>).</summary>
public sealed class SftTask(CausalLanguageModel model, int padId) : ITrainingTask<SftSequence>
{
    private readonly Device device = model.parameters().First().device;

    public nn.Module Model => model;

    public long LossItems(IReadOnlyList<SftSequence> microBatch) => microBatch.Sum(s => (long)s.TrainableTokens);

    public MicroBatchLoss ComputeLoss(IReadOnlyList<SftSequence> microBatch)
    {
        var batch = SftBatch.Collate(microBatch, padId, device);
        var logits = model.Forward(batch.InputIds, batch.AttentionMask).Logits;   // (B, T, V)
        return new MicroBatchLoss(SftLoss.TokenSum(logits, batch.Labels), batch.RealTokens);
    }

    /// <summary>eval/loss: mean token loss over all validation tokens; eval/perplexity: its exponential.</summary>
    public IReadOnlyDictionary<string, double> Evaluate(IReadOnlyList<SftSequence> examples, int batchSize)
    {
        double sum = 0;
        long tokens = 0;
        foreach (var chunk in examples.Chunk(batchSize))
        {
            using var scope = NewDisposeScope();
            sum += ComputeLoss(chunk).LossSum.to(ScalarType.Float64).item<double>();
            tokens += LossItems(chunk);
        }
        var loss = tokens > 0 ? sum / tokens : double.NaN;
        return new Dictionary<string, double> { [MetricNames.EvalLoss] = loss, [MetricNames.EvalPerplexity] = Math.Exp(loss) };
    }
}
