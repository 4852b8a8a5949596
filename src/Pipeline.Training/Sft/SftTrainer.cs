using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Training.FineTuning;
using Pipeline.Training.Loop;

namespace Pipeline.Training.Sft;

/// <summary>
/// Supervised fine-tuning: renders conversations with the chat template, trains next-token prediction on the
/// assistant tokens with the shared <see cref="TrainingLoop{TExample}"/> under the configured fine-tuning method,
/// and writes the result: a Hugging Face model folder (config.json, model.safetensors, tokenizer files) for full,
/// freeze and bitfit; a PEFT adapter folder (adapter_config.json, adapter_model.safetensors) for every adapter method.
/// </summary>
public static class SftTrainer
{
    public static async Task<SftResult> TrainAsync(SftJob job, SftSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Packing && MethodSupport.PackingRefusal(settings.Method) is { } refusal)
            throw new ArgumentException($"packing: true {refusal}.");

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
        var validation = encoder.EncodeAll(job.Validation).Sequences;   // never packed: eval/loss stays comparable across settings

        // 3. optionally several conversations per row, each attending only to itself
        var rows = settings.Packing ? SftPacker.Pack(train.Sequences, settings.MaxSeqLength) : train.Sequences;

        // 4. the shared loop
        var padId = job.Tokenizer.SpecialTokens.PaddingId;
        var loop = new TrainingLoop<SftSequence>(new SftTask(model, padId), settings);
        var result = await loop.RunAsync(rows, validation, job.Hooks, cancellationToken).ConfigureAwait(false);

        // 5. the output artifact's folder, unless this was only a slice
        string? output = null;
        if (result.Outcome != TrainingOutcome.Yielded)
        {
            output = job.OutputDirectory;
            adapted.Save(output, job.BaseModelNameOrPath);
            if (job.TokenizerDirectory is { } tokenizerDirectory) TokenizerFiles.Copy(tokenizerDirectory, output);
        }
        return new SftResult(result, Metrics(result, rows, settings), output, adapted.Summary, adapted.SavesAdapter, train) { TrainRows = rows.Count };
    }

    private static IReadOnlyDictionary<string, double> Metrics(TrainingResult result, IReadOnlyList<SftSequence> rows, SftSettings settings)
    {
        var metrics = new Dictionary<string, double>
        {
            [MetricNames.TrainLoss] = result.MeanTrainLoss,
            [MetricNames.TokensPerSecond] = result.TokensPerSecond,
        };
        // How full the packed rows are: real tokens over rows × max_seq_length.
        if (settings.Packing)
            metrics[MetricNames.PackingEfficiency] = rows.Sum(r => (double)r.InputIds.Count) / ((double)rows.Count * settings.MaxSeqLength);
        if (result.FinalEvaluation is { } evaluation)
            foreach (var (name, value) in evaluation) metrics[name] = value;
        return metrics;
    }
}
