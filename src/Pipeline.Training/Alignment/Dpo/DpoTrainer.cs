using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;
using Pipeline.Data;
using Pipeline.Modeling;
using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Tokenizers;
using Pipeline.Tokenizers.ChatTemplates;
using Pipeline.Training.Checkpoints;
using Pipeline.Training.Datasets;
using Pipeline.Training.FineTuning;
using Pipeline.Training.Loop;
using Pipeline.Training.Sft;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Training.Alignment.Dpo;

/// <summary>What one DPO run trains, on which pairs, and where its output goes.</summary>
public sealed record DpoJob : TrainingJob
{
    public required CausalLanguageModel Policy { get; init; }

    /// <summary>Loads another copy of the starting model for the reference of full fine-tuning (used once, then freed).</summary>
    public required Func<CausalLanguageModel> LoadReference { get; init; }

    public string? BaseModelNameOrPath { get; init; }
}

public sealed record DpoResult(TrainingResult Training, IReadOnlyDictionary<string, double> Metrics, string? OutputDirectory, bool SavedAdapter, int TrainPairs);

/// <summary>
/// Offline DPO on preference pairs in the shared <see cref="TrainingLoop{TExample}"/>. The reference's log-probabilities
/// are computed once per pair before training (so the reference model is freed before the first step, and with LoRA it is
/// the policy with its adapters off) and stored in every checkpoint (reference_logps.safetensors), so a resumed run reads
/// them instead of recomputing.
/// </summary>
public static class DpoTrainer
{
    public const string ReferenceFile = "reference_logps.safetensors";

    public static async Task<DpoResult> TrainAsync(DpoJob job, DpoSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var seed = settings.Seed ?? 0;
        if (MethodSupport.AlignmentRefusal(settings.Method) is { } refusal)
            throw new ArgumentException($"stages.dpo.method: {refusal}.");

        // 1. pairs → token ids (replies labelled, prompts -100), before any model work
        var encoder = new SftEncoder(job.Tokenizer, job.ChatTemplate, settings.MaxSeqLength);
        var train = Encode(encoder, job.Train);
        if (train.Count == 0)
            throw new ArgumentException($"There are no preference pairs to train on: none of the {job.Train.Count} training rows has both \"chosen\" and " +
                "\"rejected\" with a reply token left within max_seq_length; add an ingest input with format: preference.");
        var validation = Encode(encoder, job.Validation);

        // 2. the policy with the fine-tuning method applied
        var device = TrainingEnvironment.ResolveDevice(settings.Device);
        var dtype = TrainingEnvironment.ResolveDtype(settings.Dtype, device);
        ModelFactory.MoveTo(job.Policy, device, dtype);
        var adapted = FineTuningPolicies.For(settings, job.Policy.Config.Architecture, dtype, seed).Apply(job.Policy);
        var policy = adapted.Model;
        var padId = job.Tokenizer.SpecialTokens.PaddingId;

        // 3. the reference's log-probabilities: from the checkpoint when resuming, else computed once
        var working = job.Hooks.WorkingDirectory ?? Directory.CreateTempSubdirectory("dpo-").FullName;
        Directory.CreateDirectory(working);
        var referenceFile = Path.Combine(working, ReferenceFile);
        if (job.Hooks.ResumeFrom is { } resumeFrom && File.Exists(Path.Combine(resumeFrom, ReferenceFile)))
            File.Copy(Path.Combine(resumeFrom, ReferenceFile), referenceFile, overwrite: true);
        else
            WriteReference(referenceFile, adapted, job.LoadReference, device, dtype, padId, settings.BatchSize, train, validation);
        (train, validation) = ReadReference(referenceFile, train, validation);

        // 4. the shared loop; each checkpoint carries the reference file, each step reports rewards/*
        var task = new DpoTask(policy, settings, padId);
        IReadOnlyDictionary<string, double> lastStep = new Dictionary<string, double>();
        var hooks = job.Hooks with
        {
            WorkingDirectory = working,
            CheckpointSaved = job.Hooks.CheckpointSaved is { } saved
                ? (folder, step) => { File.Copy(referenceFile, Path.Combine(folder, ReferenceFile), overwrite: true); return saved(folder, step); }
                : null,
            Progress = p =>
            {
                // The stage's metric history (metrics.jsonl, carried across slices) is the stage runtime's, from these progress metrics.
                lastStep = task.TakeStepMetrics();
                job.Hooks.Progress?.Invoke(p with { Metrics = lastStep });
            },
        };
        var result = await new TrainingLoop<DpoPair>(task, settings, seed).RunAsync(train, validation, hooks, cancellationToken).ConfigureAwait(false);

        // 5. the output, unless this was only a slice
        string? output = null;
        if (result.Outcome != TrainingOutcome.Yielded)
        {
            output = job.OutputDirectory;
            adapted.Save(output, job.BaseModelNameOrPath);
            if (job.TokenizerDirectory is { } tokenizerDirectory) TokenizerFiles.Copy(tokenizerDirectory, output);
        }
        var summary = new Dictionary<string, double> { [MetricNames.TrainLoss] = result.MeanTrainLoss, ["train_pairs"] = train.Count };
        foreach (var (name, value) in lastStep) summary[name] = value;
        if (result.FinalEvaluation is { } evaluation) foreach (var (name, value) in evaluation) summary[name] = value;
        return new DpoResult(result, summary, output, adapted.SavesAdapter, train.Count);
    }

    private static List<DpoPair> Encode(SftEncoder encoder, IReadOnlyList<Example> examples)
    {
        var pairs = new List<DpoPair>();
        foreach (var example in examples.Where(e => e.IsPreferencePair))
        {
            var chosen = encoder.Encode(ConversationMessages.WithReply(example, example.Chosen!));
            var rejected = encoder.Encode(ConversationMessages.WithReply(example, example.Rejected!));
            if (chosen.TrainableTokens == 0 || rejected.TrainableTokens == 0) continue;
            pairs.Add(new DpoPair(pairs.Count, chosen, rejected, 0, 0));
        }
        return pairs;
    }

    /// <summary>(N, 2) log π_ref of chosen and rejected, for train and validation, into one file.</summary>
    private static void WriteReference(string path, AdaptedModel adapted, Func<CausalLanguageModel> loadReference, Device device, ScalarType dtype, int padId,
        int batchSize, IReadOnlyList<DpoPair> train, IReadOnlyList<DpoPair> validation)
    {
        var separate = adapted.SavesAdapter ? null : loadReference();
        if (separate is not null) ModelFactory.MoveTo(separate, device, dtype);
        var model = separate ?? adapted.Model;
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var adapters = separate is null ? AdapterLayers.Disable(model) : null;
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var tensors = new List<(string, Tensor)> { ("train", Compute(train)) };
            if (validation.Count > 0) tensors.Add(("validation", Compute(validation)));
            TensorFile.Write(path, tensors);
        }
        finally
        {
            model.train(wasTraining);
            separate?.Dispose();
        }

        // One dispose scope per chunk: only the (chunk, 2) result outlives it, not the chunk's logits.
        Tensor Compute(IReadOnlyList<DpoPair> pairs) => cat([.. pairs.Chunk(batchSize).Select(chunk =>
        {
            using var chunkScope = NewDisposeScope();
            var (chosen, _) = SequenceLogProbabilities.Compute(model, [.. chunk.Select(p => p.Chosen)], padId, device);
            var (rejected, _) = SequenceLogProbabilities.Compute(model, [.. chunk.Select(p => p.Rejected)], padId, device);
            return stack([chosen, rejected], 1).cpu().MoveToOuterDisposeScope();
        })], 0);
    }

    private static (List<DpoPair> Train, List<DpoPair> Validation) ReadReference(string path, IReadOnlyList<DpoPair> train, IReadOnlyList<DpoPair> validation)
    {
        using var scope = NewDisposeScope();
        var trainValues = zeros(train.Count, 2, ScalarType.Float32);
        var validationValues = zeros(validation.Count, 2, ScalarType.Float32);
        var destinations = new List<(string, Tensor)> { ("train", trainValues) };
        if (validation.Count > 0) destinations.Add(("validation", validationValues));
        TensorFile.ReadInto(path, destinations);
        return (Fill(train, trainValues), Fill(validation, validationValues));

        static List<DpoPair> Fill(IReadOnlyList<DpoPair> pairs, Tensor values)
        {
            if (pairs.Count == 0) return [];   // TorchSharp cannot read an empty tensor's data
            var data = values.data<float>().ToArray();
            return [.. pairs.Select((p, i) => p with { ReferenceChosen = data[2 * i], ReferenceRejected = data[2 * i + 1] })];
        }
    }
}
