using Pipeline.Contracts;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Training.Loop;

/// <summary>
/// What a training objective (SFT, reward modelling, DPO, pretraining) tells <see cref="TrainingLoop{TExample}"/>:
/// how to turn a micro-batch of its examples into a loss, and how to evaluate held-out examples. Everything
/// else (order, accumulation, schedule, clipping, checkpoints) is the loop's.
/// </summary>
/// <typeparam name="TExample">One prepared training example (token ids and labels, a preference pair, ...).</typeparam>
public interface ITrainingTask<TExample>
{
    /// <summary>The module whose parameters with requires_grad the loop optimizes, checkpoints and switches between train and eval mode.</summary>
    nn.Module Model { get; }

    /// <summary>
    /// How many items the loss of this micro-batch averages over (target tokens for SFT, pairs for a reward
    /// model). The loop divides the summed loss of a whole optimizer step by the step's total, so a step made
    /// of several micro-batches computes the same mean as one large batch.
    /// </summary>
    long LossItems(IReadOnlyList<TExample> microBatch);

    /// <summary>Forward pass with gradients: the SUM over items of the per-item loss, and the tokens processed.</summary>
    MicroBatchLoss ComputeLoss(IReadOnlyList<TExample> microBatch);

    /// <summary>
    /// Metrics on held-out examples, among them <see cref="MetricNames.EvalLoss"/> (early stopping watches it).
    /// Called in eval mode under no_grad, inside a dispose scope.
    /// </summary>
    IReadOnlyDictionary<string, double> Evaluate(IReadOnlyList<TExample> examples, int batchSize);
}

/// <summary>What one micro-batch's forward pass produced.</summary>
/// <param name="LossSum">Scalar float32: the sum of the per-item losses (backpropagated after the loop's scaling).</param>
/// <param name="Tokens">Real (non-padding) tokens that went through the model, for tokens/s.</param>
public sealed record MicroBatchLoss(Tensor LossSum, long Tokens);

