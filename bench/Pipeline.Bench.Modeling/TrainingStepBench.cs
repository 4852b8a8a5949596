using System.Diagnostics;
using Pipeline.Bench;
using Pipeline.Contracts;
using Pipeline.Modeling;
using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Adapters.Lora;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Modeling.Quantization;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Bench.Modeling;

/// <summary>
/// Times training steps (forward with labels, backward, AdamW step) of the benchmark model under one method and dtype.
/// "bf16" means parameters, activations, gradients and AdamW state all in bfloat16 (TorchSharp has no autocast and
/// no fp32 master weights are kept); QLoRA's base is NF4 dequantized to that dtype at every matmul.
/// </summary>
public static class TrainingStepBench
{
    /// <param name="keepDequantized">QLoRA only: <see cref="Nf4BackwardMode.KeepWeight"/> instead of Auto, so every layer's
    /// dequantized weight stays in the autograd graph until backward (the baseline for QLoRA's training memory).</param>
    public static TrainingMeasurement Run(BenchSettings settings, FineTuningMethod method, ScalarType dtype, bool keepDequantized = false)
    {
        // The roof is timed before and after the steps and the higher kept: on a shared machine one timing can land in a busy moment.
        var roofBefore = MatmulRoof.Measure(settings.MatmulSize, dtype);

        // 1. the model, then the method: full (all trainable), LoRA or QLoRA on every linear layer
        var model = ModelFactory.CreateRandom(settings.ModelConfig(), seed: 0, dtype: dtype);
        var baseParameters = model.parameters().Sum(p => p.numel());
        var policy = new TrainableParameterPolicy
        {
            Method = method,
            Lora = new LoraConfig { R = settings.LoraRank, Alpha = 2 * settings.LoraRank, TargetModules = [LoraConfig.AllLinear] },
            QLoraComputeDtype = dtype,
        };
        var adapted = policy.Apply(model);
        var trained = adapted.Model;
        if (keepDequantized)
            foreach (var nf4 in trained.modules().OfType<Nf4Linear>()) nf4.Backward = Nf4BackwardMode.KeepWeight;
        trained.train();
        var trainable = trained.parameters().Where(p => p.requires_grad).ToList();
        var optimizer = optim.AdamW(trainable, lr: 1e-4);
        var modelBytes = trained.parameters().Sum(Bytes) + trained.buffers().Sum(Bytes);
        double? quantizedBytesPerWeight = adapted.Quantization?.BytesPerParameter;

        using var generator = new Generator(7);
        var batch = randint(0, settings.VocabSize, [settings.Batch, settings.SequenceLength], dtype: ScalarType.Int64, generator: generator);

        // 2. steps: warm-up (allocates gradients and optimizer state), then timed; the peak is taken from here on
        var peakReset = ProcessMemory.TryResetPeak();
        var residentBefore = ProcessMemory.Resident();
        var losses = new List<double>();
        var times = new List<double>();
        for (var step = 0; step < settings.WarmUpSteps + settings.TimedSteps; step++)
        {
            using var scope = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            optimizer.zero_grad();
            var loss = trained.Forward(batch, labels: batch).Loss!;
            loss.backward();
            optimizer.step();
            losses.Add(loss.to(ScalarType.Float32).item<float>());
            if (step >= settings.WarmUpSteps) times.Add(clock.Elapsed.TotalSeconds);
        }
        var peak = ProcessMemory.Peak();
        var gradientBytes = trainable.Sum(p => p.grad is { } g ? Bytes(g) : 0);
        var optimizerBytes = 2 * trainable.Sum(Bytes);

        var roof = Math.Max(roofBefore, MatmulRoof.Measure(settings.MatmulSize, dtype));
        var stepSeconds = Median(times);
        return new TrainingMeasurement(method.ToString().ToLowerInvariant() + (keepDequantized ? " (keep W)" : ""), dtype == ScalarType.BFloat16 ? "bf16" : "fp32", baseParameters, trainable.Sum(p => p.numel()),
            roof, stepSeconds, settings.Batch * settings.SequenceLength / stepSeconds, losses[0], losses[^1], modelBytes, quantizedBytesPerWeight,
            gradientBytes, optimizerBytes, residentBefore, peak, peakReset);
    }

    private static long Bytes(Tensor t) => t.numel() * t.ElementSize;

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
