using Pipeline.Configuration;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Training.FineTuning;
using Pipeline.Training.Loop;

namespace Pipeline.Training.Sft;

/// <summary>
/// Supervised fine-tuning: renders conversations with the chat template, trains next-token prediction on the
/// assistant tokens with the shared <see cref="TrainingLoop{TExample}"/> under the configured fine-tuning method,
/// and writes the result: a Hugging Face model folder (config.json, model.safetensors, tokenizer files) for full,
/// freeze and bitfit; a PEFT adapter folder (adapter_config.json, adapter_model.safetensors) for lora, qlora and
/// prompt_tuning.
/// </summary>
public static class SftTrainer
{
    public static async Task<SftResult> TrainAsync(SftJob job, SftSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Packing)
            throw new NotSupportedException("packing: true is not supported yet: packed rows need per-example position ids and a block-diagonal " +
                "attention mask, and the model's forward takes only a 2-D padding mask. Set packing: false.");

        // 1. model on the configured device and dtype, with the fine-tuning method applied
        var device = TrainingEnvironment.ResolveDevice(settings.Device);
        var dtype = TrainingEnvironment.ResolveDtype(settings.Dtype, device);
        ModelFactory.MoveTo(job.Model, device, dtype);
        var adapted = FineTuningPolicies.For(settings, job.Model.Config.Architecture, dtype, settings.Seed ?? 0).Apply(job.Model);
        var model = adapted.Model;

        // 2. conversations → token ids with prompt labels masked
        var encoder = new SftEncoder(job.Tokenizer, job.ChatTemplate, settings.MaxSeqLength);
        var train = encoder.EncodeAll(job.Train);
        if (train.Sequences.Count == 0)
            throw new InvalidOperationException($"None of the {job.Train.Count} training conversations has an assistant token to train on " +
                $"within max_seq_length {settings.MaxSeqLength}.");
        var validation = encoder.EncodeAll(job.Validation).Sequences;

        // 3. the shared loop
        var padId = job.Tokenizer.SpecialTokens.PadId ?? job.Tokenizer.SpecialTokens.EosId ?? 0;
        var loop = new TrainingLoop<SftSequence>(new SftTask(model, padId), settings);
        var result = await loop.RunAsync(train.Sequences, validation, job.Hooks, cancellationToken).ConfigureAwait(false);

        // 4. the output artifact's folder, unless this was only a slice
        string? output = null;
        if (result.Outcome != TrainingOutcome.Yielded)
        {
            output = job.OutputDirectory;
            adapted.Save(output, job.BaseModelNameOrPath);
            if (job.TokenizerDirectory is { } tokenizerDirectory) TokenizerFiles.Copy(tokenizerDirectory, output);
        }
        return new SftResult(result, Metrics(result), output, adapted.Summary, adapted.SavesAdapter, train);
    }

    private static IReadOnlyDictionary<string, double> Metrics(TrainingResult result)
    {
        var metrics = new Dictionary<string, double>
        {
            [MetricNames.TrainLoss] = result.MeanTrainLoss,
            [MetricNames.TokensPerSecond] = result.TokensPerSecond,
        };
        if (result.FinalEvaluation is { } evaluation)
            foreach (var (name, value) in evaluation) metrics[name] = value;
        return metrics;
    }
}
