using System.Diagnostics;
using Pipeline.Configuration;
using Pipeline.Contracts;
using Pipeline.Modeling;
using Pipeline.Modeling.Adapters;
using Pipeline.Training.FineTuning;
using Pipeline.Training.Loop;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Bench.Training;

/// <summary>
/// The baseline: the same model, the same method (the same <see cref="TrainableParameterPolicy"/> the trainer builds),
/// the same batches in the same order, and per step only forward with labels, backward, clip_grad_norm_, AdamW step and
/// zero_grad. Batches are built as tensors before the clock starts.
/// </summary>
public static class BareTorchSharpLoop
{
    public static StepTimes Run(CausalLanguageModel model, SupportDeskConversations data, TrainingBenchSettings settings, FineTuningMethod method)
    {
        var sftSettings = settings.SftSettings(method);
        var trained = FineTuningPolicies.For(sftSettings, model.Config.Architecture, ScalarType.Float32, seed: 0).Apply(model).Model;
        trained.train();
        var trainable = trained.parameters().Where(p => p.requires_grad).ToList();
        using var optimizer = optim.AdamW(trainable, lr: sftSettings.LearningRate);

        // The trainer's order of the examples (seeded permutation of epoch 0), cut into batches of (B, T) ids and labels.
        var order = DataOrder.Permutation(0, 0, data.Sequences.Count);
        var batches = Enumerable.Range(0, settings.Steps).Select(step =>
        {
            var rows = order.Skip(step * settings.Batch).Take(settings.Batch).Select(i => data.Sequences[i]).ToList();
            var ids = tensor(rows.SelectMany(s => s.InputIds.Select(id => (long)id)).ToArray(), [settings.Batch, settings.SequenceLength]);
            var labels = tensor(rows.SelectMany(s => s.Labels).ToArray(), [settings.Batch, settings.SequenceLength]);
            return (Ids: ids, Labels: labels);
        }).ToList();

        var seconds = new List<double>();
        var losses = new List<double>();
        manual_seed(0);
        for (var step = 0; step < settings.Steps; step++)
        {
            using var scope = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            var loss = trained.Forward(batches[step].Ids, labels: batches[step].Labels).Loss!;
            loss.backward();
            nn.utils.clip_grad_norm_(trainable, sftSettings.MaxGradNorm);
            optimizer.step();
            optimizer.zero_grad();
            losses.Add(loss.item<float>());
            if (step >= settings.WarmUpSteps) seconds.Add(clock.Elapsed.TotalSeconds);
        }
        foreach (var (ids, labels) in batches) { ids.Dispose(); labels.Dispose(); }
        return new StepTimes(seconds, settings.TokensPerStep, losses[0], losses[^1]);
    }
}
