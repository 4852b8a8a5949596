using Pipeline.Contracts;
using Pipeline.Training.Loop;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Training.Tests.Loop;

/// <summary>
/// A one-weight regression (loss Σ (w·x − 2x)²) whose evaluations return a scripted list of losses, so
/// evaluation-driven behaviour (early stopping) can be tested on exact numbers.
/// </summary>
internal sealed class ScriptedTask(IReadOnlyList<double> evalLosses) : ITrainingTask<float>
{
    private readonly Linear weight = StartingAtZero(nn.Linear(1, 1, hasBias: false));
    private int evaluations;

    // A fixed start (not the global generator's draw), so the run is the same whatever ran before it.
    private static Linear StartingAtZero(Linear linear)
    {
        using var _ = no_grad();
        linear.weight!.zero_();
        return linear;
    }

    public nn.Module Model => weight;

    public long LossItems(IReadOnlyList<float> microBatch) => microBatch.Count;

    public MicroBatchLoss ComputeLoss(IReadOnlyList<float> microBatch)
    {
        var x = tensor(microBatch.ToArray()).unsqueeze(1);          // (B, 1)
        return new MicroBatchLoss((weight.call(x) - 2 * x).square().sum(), microBatch.Count);
    }

    public IReadOnlyDictionary<string, double> Evaluate(IReadOnlyList<float> examples, int batchSize) =>
        new Dictionary<string, double> { [MetricNames.EvalLoss] = evalLosses[evaluations++] };
}
