using Pipeline.Artifacts;
using Pipeline.Configuration;
using Pipeline.Configuration.Json;
using Pipeline.Configuration.Synthesis;
using Pipeline.Contracts;
using Pipeline.Data;
using Pipeline.Data.Normalization;
using Pipeline.Data.Readers;
using Pipeline.Data.Splitting;
using Pipeline.Modeling.Generation;
using Pipeline.Orchestration.Runs;
using Pipeline.Orchestration.Stages;
using Pipeline.Serving.Local;
using Pipeline.Training.Datasets;
using Pipeline.Training.Stages.Chat;

namespace Pipeline.Training.Stages.Synthesis;

/// <summary>
/// The synthesize stage (self-instruct, after ingest, before sft): new examples from a generator (an OpenAI-compatible
/// endpoint, or the run's model in-process) shown a few of the dataset's rows, parsed strictly, cleaned as ingest cleans,
/// capped, and published as the run's dataset: the organic rows plus the synthetic ones, each carrying its provenance.
/// </summary>
public sealed class SynthesizeStageWorker : IStageWorker
{
    private const string Key = "stages.synthesize";
    public const string ReviewFile = "review.jsonl";

    public string Stage => StageNames.Synthesize;

    public async Task<StageOutcome> RunAsync(StageContext context, CancellationToken ct)
    {
        var settings = StageSettingsJson.Deserialize<SynthesisSettings>(context.SettingsJson);
        var dataset = await StageDataset.LoadAsync(context, ArtifactRoles.Dataset, ct).ConfigureAwait(false);
        var seeds = settings.Seeds is { } file ? await SeedFileAsync(context, file, ct).ConfigureAwait(false) : SeedExample.From(dataset.Train);
        if (seeds.Count == 0)
            throw new StageFailedException(settings.Seeds is null
                ? $"synthesize: {Key}: no seed examples: the dataset's train split ({dataset.Train.Count} rows) has no conversation with a user message answered by the assistant; set {Key}.seeds to a file of examples."
                : $"synthesize: {Key}.seeds: '{settings.Seeds}' holds no conversation with a user message answered by the assistant.");

        // 1. the models: the run's own in-process unless an endpoint generates and nobody needs the policy's replies
        var policyReplies = settings.Mode == SynthesisMode.InputsOnly && settings.Replies == SyntheticReplies.Policy;
        var model = settings.Generator is null || policyReplies
            ? await StageModel.LoadAsync(context, ct, ArtifactRoles.SftModel, ArtifactRoles.BaseModel).ConfigureAwait(false) : null;
        using var served = model is null ? null : new ServedModel(model.Artifact.Id, model.Model, model.Tokenizer, model.Template,
            new SchedulerOptions { MaxBatch = settings.LocalConcurrency, MaxNewTokensPerRequest = settings.MaxNewTokens });
        using var local = served is null ? null : StageChatClients.ForLocal(served, model!.Artifact.Id, settings.LocalConcurrency, context.Artifacts);
        StageChatClient? endpoint;
        try
        {
            endpoint = settings.Generator is { } generatorSettings ? StageChatClients.ForEndpoint(generatorSettings, context.Artifacts, $"{Key}.generator") : null;
        }
        catch (ArgumentException e)
        {
            throw new StageFailedException($"synthesize: {e.Message}", e);
        }
        using var _ = endpoint;
        var generator = endpoint ?? local!;
        var policy = policyReplies ? local : null;

        // 2. generation, in slices
        var slice = await TrainingStageBridge.SliceAsync(context, ct).ConfigureAwait(false);
        SelfInstructResult result;
        try
        {
            result = await SelfInstructGenerator.RunAsync(new SelfInstructJob { Generator = generator, Policy = policy, Seeds = seeds, Hooks = slice.Hooks }, settings, ct).ConfigureAwait(false);
        }
        catch (ChatCallFailedException e)
        {
            throw new StageFailedException($"synthesize: {e.Message}. The calls that finished are cached in the artifact store ({ArtifactCachingChatClient.Prefix}/), " +
                                           "so running the stage again does not pay for them.", e);
        }
        catch (ArgumentException e)
        {
            throw new StageFailedException($"synthesize: {e.Message} (if a prompt does not fit the model, lower {Key}.examples_per_prompt or max_new_tokens)", e);
        }
        if (!result.Finished) return StageOutcome.Continue();

        // 3. clean, cap, split, write
        var repliesBy = settings.Mode == SynthesisMode.Full ? "generator" : policy?.Name;
        var candidates = result.Candidates.Select(c => ToExample(c, generator.Name, settings, repliesBy)).ToList();
        var organic = dataset.Train.Concat(dataset.Validation).ToList();
        var cleaned = new SyntheticRowCleaner(settings).Clean(organic, candidates);
        var output = Path.Combine(context.ScratchDirectory, "output");
        if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        Directory.CreateDirectory(output);
        var review = repliesBy is null;
        var seed = (ulong)(settings.Seed ?? 42);
        var validation = review ? [] : cleaned.Kept.Where(r => DatasetSplitter.Assign(ExampleHasher.SplitKey(r), seed, settings.ValidationFraction) == DatasetSplit.Validation).ToHashSet();
        var synthetic = review ? [] : cleaned.Kept;
        WriteShard(Path.Combine(output, $"{DatasetShards.Train}-00000.jsonl"), dataset.Train.Concat(synthetic.Where(r => !validation.Contains(r))));
        WriteShard(Path.Combine(output, $"{DatasetShards.Validation}-00000.jsonl"), dataset.Validation.Concat(synthetic.Where(validation.Contains)));
        if (review) WriteShard(Path.Combine(output, ReviewFile), cleaned.Kept);
        var card = new SynthesisCard
        {
            Generator = generator.Name, Mode = settings.Mode == SynthesisMode.Full ? "full" : "inputs_only", RepliesBy = repliesBy ?? "review",
            OrganicRows = organic.Count, SyntheticRows = synthetic.Count, ReviewRows = review ? cleaned.Kept.Count : 0,
            TrainRows = dataset.Train.Count + synthetic.Count - validation.Count, ValidationRows = dataset.Validation.Count + validation.Count,
            Calls = result.State.Calls, ParseFailures = result.State.ParseFailures.Values.Sum(), MaxSyntheticShare = settings.MaxSyntheticShare,
            InputTokens = result.State.InputTokens, OutputTokens = result.State.OutputTokens, CacheHits = result.State.CacheHits,
            ParseFailureCounters = result.State.ParseFailures,
            DroppedCounters = new SortedDictionary<string, int>(result.State.ReplyFailures.Concat(cleaned.Dropped).GroupBy(d => d.Key).ToDictionary(g => g.Key, g => g.Sum(d => d.Value)), StringComparer.Ordinal),
        };
        card.Write(output, await OrganicCardAsync(context, dataset.Artifact, ct).ConfigureAwait(false));

        var id = $"{context.ArtifactPrefix}/dataset";
        IReadOnlyList<string> parents = model is null ? [dataset.Artifact.Id] : [dataset.Artifact.Id, model.Artifact.Id];
        await ArtifactFolders.UploadAsync(context, id, output, ArtifactKind.Dataset, parents, ct).ConfigureAwait(false);
        var metrics = slice.Annotate(new Dictionary<string, double>
        {
            ["synthesize/calls"] = card.Calls, ["synthesize/parse_failures"] = card.ParseFailures, ["synthesize/synthetic_rows"] = card.SyntheticRows,
            ["synthesize/synthetic_share"] = card.SyntheticShare, ["synthesize/dropped"] = card.DroppedCounters.Values.Sum(), ["synthesize/review_rows"] = card.ReviewRows,
            ["synthesize/tokens_input"] = card.InputTokens, ["synthesize/tokens_output"] = card.OutputTokens, ["synthesize/cache_hits"] = card.CacheHits,
            ["train_rows"] = card.TrainRows, ["validation_rows"] = card.ValidationRows,
        });
        foreach (var (reason, count) in card.ParseFailureCounters) metrics[$"synthesize/parse_failures/{reason}"] = count;
        foreach (var (reason, count) in card.DroppedCounters) metrics[$"synthesize/dropped/{reason}"] = count;
        return StageOutcome.Done(new Dictionary<string, ArtifactRef> { [ArtifactRoles.Dataset] = new(id, ArtifactKind.Dataset) }, metrics);
    }

    private static void WriteShard(string path, IEnumerable<Example> rows) => File.WriteAllLines(path, rows.Select(ExampleJson.ToJsonLine));

    /// <summary>A candidate as a dataset row: its conversation, a content-derived id and its provenance.</summary>
    private static Example ToExample(SyntheticCandidate candidate, string generator, SynthesisSettings settings, string? repliesBy)
    {
        var messages = new List<ChatMessage>();
        if (candidate.System is { } system) messages.Add(new ChatMessage(ChatRoles.System, system));
        messages.Add(new ChatMessage(ChatRoles.User, candidate.Instruction));
        if (candidate.Response is { } response) messages.Add(new ChatMessage(ChatRoles.Assistant, response));
        var hash = ExampleHasher.ContentHash(messages, null, null);
        return new Example
        {
            Id = $"synthetic-{hash:x32}"[..26], Messages = messages,
            Provenance = new ExampleProvenance(generator, SelfInstructGenerator.ProvenanceSettings(settings, candidate, repliesBy)),
        };
    }

    /// <summary>Ingest's data card of the organic rows, to follow the synthesis card (null when the dataset has none).</summary>
    private static async Task<string?> OrganicCardAsync(StageContext context, ArtifactRef dataset, CancellationToken ct)
    {
        var folder = await ArtifactFolders.FetchAsync(context.Artifacts, dataset, ct).ConfigureAwait(false);
        var path = Path.Combine(folder, SynthesisCard.MarkdownFile);
        return File.Exists(path) ? await File.ReadAllTextAsync(path, ct).ConfigureAwait(false) : null;
    }

    /// <summary>The seeds file (uploaded with the run), read as ingest reads an input; rows that do not read are skipped.</summary>
    private static async Task<IReadOnlyList<SeedExample>> SeedFileAsync(StageContext context, string file, CancellationToken ct)
    {
        if (!InputReference.IsArtifact(file))
            throw new StageFailedException($"synthesize: {Key}.seeds: '{file}' is a local path on the machine that submitted the run; submit with `pipeline run` or `pipeline submit`, which upload it.");
        var reference = InputReference.Parse(file);
        var manifest = await context.Artifacts.TryGetManifestAsync(reference.ArtifactId, ct).ConfigureAwait(false)
                       ?? throw new StageFailedException($"synthesize: {Key}.seeds: there is no artifact '{reference.ArtifactId}'.");
        var name = reference.FileName ?? manifest.Files.FirstOrDefault()?.Path ?? throw new StageFailedException($"synthesize: {Key}.seeds: artifact '{reference.ArtifactId}' holds no file.");
        var local = Path.Combine(context.ScratchDirectory, "seeds", name);
        await context.Artifacts.CopyFileToAsync(reference.ArtifactId, name, local, ct).ConfigureAwait(false);
        var rows = new List<Example>();
        try
        {
            await foreach (var read in DatasetReader.ReadAsync(new DatasetInput(local, DataFormat.Auto, name), ct: ct).ConfigureAwait(false))
                if (read.Example is { } example) rows.Add(CanonicalText.Normalize(example));
        }
        catch (DataFormatException e)
        {
            throw new StageFailedException($"synthesize: {Key}.seeds: {e.Message}", e);
        }
        return SeedExample.From(rows);
    }
}
