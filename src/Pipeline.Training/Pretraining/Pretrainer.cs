using Pipeline.Configuration;
using Pipeline.Configuration.Pretraining;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Modeling.Configuration;
using Pipeline.Tokenizers;
using Pipeline.Training.Loop;

namespace Pipeline.Training.Pretraining;

/// <param name="Metrics">train/loss, eval/loss, eval/perplexity, perf/tokens_per_second, parameters, corpus_tokens.</param>
/// <param name="OutputDirectory">The new model's folder (config.json, model.safetensors, tokenizer); null when the run yielded.</param>
public sealed record PretrainResult(TrainingResult Training, IReadOnlyDictionary<string, double> Metrics, string? OutputDirectory);

/// <summary>
/// Stage 0: a base model from scratch. Trains a byte-level BPE tokenizer on the corpus (deterministic, so a
/// resumed run rebuilds the same one), creates a random model of the preset, and runs next-token prediction
/// with the shared loop (AdamW, warmup then cosine, clipping, checkpoints, exact resume).
/// </summary>
public static class Pretrainer
{
    /// <summary>Share of corpus windows held out for eval/loss (at least one window).</summary>
    public const double HeldOutFraction = 0.05;

    public static async Task<PretrainResult> TrainAsync(IReadOnlyList<string> corpusFiles, PretrainSettings settings, string outputDirectory,
        TrainingHooks hooks, CancellationToken ct = default)
    {
        var seed = settings.Seed ?? 42;
        // 1. tokenizer
        var documents = CorpusBlocks.Documents(corpusFiles).ToList();
        if (documents.Count == 0) throw new InvalidOperationException($"The pretraining corpus ({string.Join(", ", corpusFiles.Select(Path.GetFileName))}) has no text.");
        var trained = new ByteLevelBpeTrainer(new ByteLevelBpeTrainerOptions
        {
            VocabSize = settings.VocabSize, ChatTemplateName = "chatml", ModelMaxLength = settings.ContextLength * 4,
        }).Train(documents);
        var tokenizer = trained.CreateTokenizer();

        // 2. data: windows, a held-out tail for evaluation
        var blocks = CorpusBlocks.Cut(documents, tokenizer, settings.ContextLength);
        if (blocks.Count < 2)
            throw new InvalidOperationException($"The corpus gives {blocks.Count} window(s) of {settings.ContextLength} tokens; it needs at least 2 (add text or lower context_length).");
        var heldOut = Math.Max(1, (int)(blocks.Count * HeldOutFraction));
        var train = blocks.Take(blocks.Count - heldOut).ToList();
        var validation = blocks.Skip(blocks.Count - heldOut).ToList();

        // 3. model
        var architecture = settings.Architecture == PretrainArchitecture.Gpt2 ? ModelArchitecture.Gpt2 : ModelArchitecture.Llama;
        var config = ModelPresets.Create(settings.Preset.ToString().ToLowerInvariant(), architecture, tokenizer.VocabSize) with
        {
            MaxPositionEmbeddings = Math.Max(settings.ContextLength * 4, 512),
            BosTokenId = tokenizer.SpecialTokens.BosId, EosTokenIds = tokenizer.SpecialTokens.EosId is { } eos ? [eos] : [], PadTokenId = tokenizer.SpecialTokens.PadId,
        };
        var model = ModelFactory.CreateRandom(config, seed);

        // 4. the shared loop
        var loop = new TrainingLoop<PretrainBlock>(new PretrainTask(model), LoopSettings(settings), seed);
        var result = await loop.RunAsync(train, validation, hooks, ct).ConfigureAwait(false);
        var metrics = new Dictionary<string, double>
        {
            [MetricNames.TrainLoss] = result.MeanTrainLoss,
            ["parameters"] = model.parameters().Sum(p => p.numel()),
            ["corpus_tokens"] = (double)blocks.Count * settings.ContextLength,
        };
        if (result.Evaluations.Count > 0)
            foreach (var (name, value) in result.Evaluations[^1].Metrics) metrics[name] = value;
        if (result.Outcome == TrainingOutcome.Yielded) return new PretrainResult(result, metrics, null);

        // 5. the base model in Hugging Face layout, with its tokenizer
        CausalLmLoader.Save(model, outputDirectory);
        trained.Save(outputDirectory);
        return new PretrainResult(result, metrics, outputDirectory);
    }

    /// <summary>The loop's settings: pretraining is full training with the stage's schedule.</summary>
    public static SftSettings LoopSettings(PretrainSettings s) => new()
    {
        Method = FineTuningMethod.Full,
        Epochs = 1_000,
        MaxSteps = s.MaxSteps,
        BatchSize = s.BatchSize,
        LearningRate = s.LearningRate,
        LrScheduler = LearningRateScheduler.Cosine,
        WarmupRatio = s.WarmupRatio,
        WeightDecay = s.WeightDecay,
        MaxGradNorm = s.MaxGradNorm,
        MaxSeqLength = s.ContextLength,
        EvalEvery = Math.Max(1, s.MaxSteps / 4),
        CheckpointEvery = s.CheckpointEvery,
        Dtype = TrainingDtype.Float32,
        Device = TrainingDevice.Auto,
        Seed = s.Seed,
    };
}
