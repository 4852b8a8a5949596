using Pipeline.Contracts;
using Pipeline.Modeling;
using Pipeline.Training.Loop;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Training.Pretraining;

/// <summary>Next-token prediction on corpus windows; every position after the first is a target.</summary>
public sealed class PretrainTask(CausalLanguageModel model) : ITrainingTask<PretrainBlock>
{
    public nn.Module Model => model;

    public long LossItems(IReadOnlyList<PretrainBlock> microBatch) => microBatch.Sum(b => (long)b.Tokens.Length - 1);

    public MicroBatchLoss ComputeLoss(IReadOnlyList<PretrainBlock> microBatch)
    {
        var ids = Batch(microBatch);                                  // (B, T)
        var mean = model.Forward(ids, labels: ids).Loss!;              // mean over B·(T-1) shifted targets
        return new MicroBatchLoss(mean * LossItems(microBatch), ids.numel());
    }

    public IReadOnlyDictionary<string, double> Evaluate(IReadOnlyList<PretrainBlock> examples, int batchSize)
    {
        double sum = 0;
        long items = 0;
        foreach (var chunk in examples.Chunk(batchSize))
        {
            using var scope = NewDisposeScope();
            var ids = Batch(chunk);
            var n = LossItems(chunk);
            sum += model.Forward(ids, labels: ids).Loss!.item<float>() * n;
            items += n;
        }
        var loss = sum / Math.Max(1, items);
        return new Dictionary<string, double> { [MetricNames.EvalLoss] = loss, [MetricNames.EvalPerplexity] = Math.Exp(loss) };
    }

    private Tensor Batch(IReadOnlyList<PretrainBlock> blocks)
    {
        var length = blocks[0].Tokens.Length;
        var flat = new long[blocks.Count * length];
        for (var b = 0; b < blocks.Count; b++)
            for (var t = 0; t < length; t++) flat[b * length + t] = blocks[b].Tokens[t];
        var device = model.parameters().First().device;
        return tensor(flat, [blocks.Count, length], dtype: ScalarType.Int64, device: device);
    }
}
