using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Pipeline.Artifacts;
using Pipeline.Artifacts.State;
using Pipeline.Cli.Commands;
using Pipeline.Configuration;
using Pipeline.Configuration.Synthesis;
using Pipeline.Contracts;
using Pipeline.Data;
using Pipeline.Modeling.Generation;
using Pipeline.Orchestration.Messaging;
using Pipeline.Orchestration.Runs;
using Pipeline.Orchestration.Stages;
using Pipeline.Serving.Http;
using Pipeline.Serving.Local;
using Pipeline.Training.Loop;
using Pipeline.Training.Stages.Chat;
using Pipeline.Training.Stages.Synthesis;

namespace Pipeline.Cli.Tests.Synthesis;

/// <summary>
/// The synthesize stage embedded, on a tiny base model pretrained on the quickstart's corpus and the quickstart's ingested
/// conversations: with the run's model in-process, against a real OpenAI-compatible server (our own, on a real port) through
/// the OpenAI client, a re-run answered by the cache, a killed generation resumed to the same rows, and bad inputs.
/// </summary>
[Collection(EmbeddedRunCollection.Name)]
public sealed class SynthesizeStageTests(SynthesizeStageTests.BaseRun run) : IClassFixture<SynthesizeStageTests.BaseRun>
{
    /// <summary>A pretrained tiny base model (context 512, room for a self-instruct prompt) and the ingested dataset.</summary>
    public sealed class BaseRun : IAsyncLifetime
    {
        internal TempFolder Folder { get; } = new();
        public string Artifacts => Path.Combine(Folder.Path, "artifacts");
        public RunRecord Record { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            var data = Path.Combine(RepositoryRoot(), "examples", "quickstart", "data");
            var config = Folder.PathOf("base.yaml");
            await File.WriteAllTextAsync(config, $$"""
                name: synth-base
                seed: 3
                stages:
                  pretrain: { corpus: ["{{data}}/pretrain.txt"], max_steps: 6, batch_size: 2, context_length: 512, vocab_size: 400 }
                  ingest:
                    inputs: [{ path: "{{data}}/support.jsonl", format: openai }]
                    near_duplicates: { enabled: false }
                """);
            var exit = await RunCommand.RunAsync(new FileInfo(config), Artifacts, select: null, CancellationToken.None);
            Record = await LatestRunAsync(Artifacts, "synth-base");
            Assert.True(exit == 0, $"base run ended {Record.State}: {Record.FailedStage} {Record.FailureReason}");
        }

        public ValueTask DisposeAsync()
        {
            Folder.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private string Inputs => $$"""inputs: { base_model: "artifact:{{run.Record.Artifacts["base_model"].Id}}", dataset: "artifact:{{run.Record.Artifacts["dataset"].Id}}" }""";

    private async Task<RunRecord> RunAsync(string name, string synthesize, string extraStages = "")
    {
        var config = run.Folder.PathOf($"{name}.yaml");
        await File.WriteAllTextAsync(config, $"name: {name}\nseed: 9\n{Inputs}\nstages:\n  synthesize: {synthesize}\n{extraStages}");
        await RunCommand.RunAsync(new FileInfo(config), run.Artifacts, select: null, TestContext.Current.CancellationToken);
        return await LatestRunAsync(run.Artifacts, name);
    }

    [Fact]
    public async Task The_runs_own_model_writes_new_messages_and_answers_them_and_sft_trains_on_the_dataset_with_them()
    {
        var record = await RunAsync("synth-local",
            "{ new_examples: 8, batch_size: 4, examples_per_prompt: 1, max_new_tokens: 40, temperature: 0, max_synthetic_share: 0.5 }",
            "  sft: { max_steps: 1, batch_size: 2, max_seq_length: 128, eval_every: 1000 }\n");
        Assert.True(record.State == RunState.Completed, $"{record.FailedStage}: {record.FailureReason}");
        var m = record.Find("synthesize")!.Metrics;
        Assert.Equal(8, m["synthesize/calls"]);
        // Every call is accounted for: parsed and kept, parsed and dropped (with a reason), or not parsed (with a reason).
        Assert.Equal(8, m["synthesize/synthetic_rows"] + m["synthesize/dropped"] + m["synthesize/parse_failures"]);
        Assert.True(m["synthesize/tokens_input"] > 0 && m["synthesize/tokens_output"] > 0);
        Assert.Equal(0, m["synthesize/cache_hits"]);

        var store = ArtifactStoreFactory.Create(run.Artifacts);
        var dataset = record.Artifacts["dataset"].Id;
        Assert.StartsWith($"runs/{record.RunId:N}/synthesize/", dataset);   // sft trained on the synthesize stage's dataset
        var rows = await RowsAsync(store, dataset);
        var organic = await RowsAsync(store, run.Record.Artifacts["dataset"].Id);
        Assert.Equal(organic.Count + (int)m["synthesize/synthetic_rows"], rows.Count);
        Assert.All(rows.Where(r => r.IsSynthetic), r =>
        {
            Assert.Equal(run.Record.Artifacts["base_model"].Id, r.Provenance!.Generator);
            Assert.Equal("inputs_only", r.Provenance.Settings["mode"]);
            Assert.Equal(["assistant", "system", "user"], r.Messages.Select(x => x.Role).Order());
        });
        Assert.Equal(organic.Select(r => r.Id).Order(), rows.Where(r => !r.IsSynthetic).Select(r => r.Id).Order());
        Assert.Equal(StageState.Completed, record.Find("sft")!.State);

        using var card = JsonDocument.Parse(await store.ReadAllTextAsync(dataset, SynthesisCard.JsonFile));
        Assert.Equal(m["synthesize/synthetic_share"], card.RootElement.GetProperty("synthetic_share").GetDouble());
        Assert.True(card.RootElement.GetProperty("synthetic_share").GetDouble() <= 0.5);
        Assert.Contains("## The organic rows", await store.ReadAllTextAsync(dataset, SynthesisCard.MarkdownFile));
    }

    [Fact]
    public async Task A_pipeline_serve_endpoint_generates_through_the_openai_client_and_a_rerun_is_answered_by_the_cache()
    {
        var folder = await ArtifactFoldersFetch(run.Record.Artifacts["base_model"]);
        using var served = ServedModel.Load(folder, scheduler: new SchedulerOptions { MaxBatch = 4, MaxNewTokensPerRequest = 64 });
        await using var app = OpenAiServer.Build(served, new ServeOptions { Port = 0 });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var url = app.Urls.First() + "/v1";
        var settings = $$"""{ mode: inputs_only, replies: review, new_examples: 6, batch_size: 3, examples_per_prompt: 1, max_new_tokens: 24, generator: { url: "{{url}}", model: {{served.Name}}, max_concurrency: 2 } }""";

        var first = await RunAsync("synth-endpoint", settings);
        Assert.True(first.State == RunState.Completed, $"{first.FailedStage}: {first.FailureReason}");
        var m = first.Find("synthesize")!.Metrics;
        Assert.Equal(6, m["synthesize/calls"]);
        Assert.True(m["synthesize/tokens_output"] > 0);
        Assert.Equal(0, m["synthesize/synthetic_rows"]);   // review: the messages wait for people, nothing enters the dataset
        Assert.Equal(6, m["synthesize/review_rows"] + m["synthesize/dropped"] + m["synthesize/parse_failures"]);
        var store = ArtifactStoreFactory.Create(run.Artifacts);
        var dataset = first.Artifacts["dataset"].Id;
        Assert.Contains(SynthesizeStageWorker.ReviewFile, (await store.GetManifestAsync(dataset, TestContext.Current.CancellationToken)).Files.Select(f => f.Path));
        using (var card = JsonDocument.Parse(await store.ReadAllTextAsync(dataset, SynthesisCard.JsonFile)))
            Assert.Equal($"{url} model {served.Name}", card.RootElement.GetProperty("generator").GetString());

        // The same run again: every call answered by the artifact store, nothing spent, the same files.
        var second = await RunAsync("synth-endpoint", settings);
        var again = second.Find("synthesize")!.Metrics;
        Assert.Equal(6, again["synthesize/cache_hits"]);
        Assert.Equal(0, again["synthesize/tokens_input"] + again["synthesize/tokens_output"]);
        foreach (var file in new[] { "train-00000.jsonl", "validation-00000.jsonl", SynthesizeStageWorker.ReviewFile })
            Assert.Equal(await store.ReadAllTextAsync(dataset, file), await store.ReadAllTextAsync(second.Artifacts["dataset"].Id, file));
    }

    [Fact]
    public async Task A_generation_killed_between_checkpoints_resumes_from_the_last_one_replays_the_lost_calls_from_the_cache_and_writes_the_same_rows()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = await ArtifactFoldersFetch(run.Record.Artifacts["base_model"]);
        var organic = await RowsAsync(ArtifactStoreFactory.Create(run.Artifacts), run.Record.Artifacts["dataset"].Id);
        var seeds = SeedExample.From(organic);
        var settings = new SynthesisSettings { Seed = 4, NewExamples = 10, BatchSize = 2, CheckpointEvery = 2, ExamplesPerPrompt = 1, MaxNewTokens = 32, Temperature = 0, LocalConcurrency = 1 };

        // Uninterrupted, on a store of its own (nothing cached).
        var uninterrupted = await GenerateAsync(new TempFolder(), folder, seeds, settings, new TrainingHooks(), ct);

        // Killed: checkpoint after batch 2, then batch 3's calls finish (and are cached), then the replica dies.
        using var killedStore = new TempFolder();
        using var kill = CancellationTokenSource.CreateLinkedTokenSource(ct);
        string? checkpoint = null;
        var hooks = new TrainingHooks
        {
            WorkingDirectory = killedStore.PathOf("work"),
            CheckpointSaved = (saved, _) =>
            {
                checkpoint = killedStore.PathOf($"saved-{Path.GetFileName(saved)}");
                CopyFolder(saved, checkpoint);
                return Task.CompletedTask;
            },
            Progress = p => { if (p.Step == 3) kill.Cancel(); },
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => GenerateAsync(killedStore, folder, seeds, settings, hooks, kill.Token, dispose: false));
        Assert.EndsWith("checkpoint-000002", checkpoint);

        var resumed = await GenerateAsync(killedStore, folder, seeds, settings, new TrainingHooks { ResumeFrom = checkpoint }, ct, dispose: false);
        // Batch 3's two generation calls (and the policy's replies to what parsed) came back from the cache; batches 4 and 5 were new.
        Assert.InRange(resumed.State.CacheHits, 2, 4);
        Assert.Equal(Serialize(uninterrupted.Candidates), Serialize(resumed.Candidates));
        Assert.Equal(uninterrupted.State.ParseFailures, resumed.State.ParseFailures);
        Assert.Equal(uninterrupted.State.ReplyFailures, resumed.State.ReplyFailures);
        Assert.Equal(10, resumed.State.Calls);

        // The dataset is a pure function of the candidates: the cleaned rows are the same bytes too.
        var cleaner = new SyntheticRowCleaner(settings);
        Assert.Equal(cleaner.Clean(organic, ToRows(uninterrupted)).Kept.Select(ExampleJson.ToJsonLine), new SyntheticRowCleaner(settings).Clean(organic, ToRows(resumed)).Kept.Select(ExampleJson.ToJsonLine));
    }

    [Fact]
    public async Task An_unreachable_endpoint_fails_the_stage_naming_its_url_after_the_retries()
    {
        var record = await RunAsync("synth-unreachable", """{ mode: full, new_examples: 2, generator: { url: "http://127.0.0.1:9/v1", model: m, max_retries: 1, timeout_seconds: 5 } }""");
        Assert.Equal(RunState.Failed, record.State);
        Assert.Equal("synthesize", record.FailedStage);
        Assert.Contains("The chat endpoint http://127.0.0.1:9/v1/ (model m) did not answer after 2 attempts: ", record.FailureReason);
        Assert.Contains("cached in the artifact store", record.FailureReason);
    }

    [Fact]
    public async Task A_seed_file_without_a_single_answered_message_fails_before_any_model_is_asked()
    {
        var seeds = run.Folder.PathOf("pairs-only.jsonl");
        await File.WriteAllTextAsync(seeds, """{"prompt":"Where is my parcel?","chosen":"Hello, tomorrow.","rejected":"No idea."}""" + "\n", TestContext.Current.CancellationToken);
        var record = await RunAsync("synth-no-seeds", $$"""{ seeds: "{{seeds}}", new_examples: 2 }""");
        Assert.Equal(RunState.Failed, record.State);
        Assert.Contains("stages.synthesize.seeds", record.FailureReason);
    }

    private static async Task<SelfInstructResult> GenerateAsync(TempFolder storeFolder, string modelFolder, IReadOnlyList<SeedExample> seeds, SynthesisSettings settings,
        TrainingHooks hooks, CancellationToken ct, bool dispose = true)
    {
        try
        {
            var store = new LocalFolderArtifactStore(storeFolder.PathOf("store"));
            using var served = ServedModel.Load(modelFolder, scheduler: new SchedulerOptions { MaxBatch = 1, MaxNewTokensPerRequest = settings.MaxNewTokens });
            using var client = StageChatClients.ForLocal(served, "tiny-base", 1, store);
            return await SelfInstructGenerator.RunAsync(new SelfInstructJob { Generator = client, Policy = client, Seeds = seeds, Hooks = hooks }, settings, ct);
        }
        finally
        {
            if (dispose) storeFolder.Dispose();
        }
    }

    private static List<Example> ToRows(SelfInstructResult result) =>
        [.. result.Candidates.Select(c => new Example { Id = $"c{c.Call}", Messages = [new ChatMessage("user", c.Instruction), new ChatMessage("assistant", c.Response ?? "")] })];

    private static string Serialize(IReadOnlyList<SyntheticCandidate> candidates) => string.Join('\n', candidates.Select(c => JsonSerializer.Serialize(c)));

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }

    private async Task<string> ArtifactFoldersFetch(ArtifactRef model)
    {
        var target = run.Folder.PathOf($"model-{Guid.NewGuid():N}");
        await ArtifactStoreFactory.Create(run.Artifacts).DownloadAsync(model.Id, target);
        return target;
    }

    private static async Task<List<Example>> RowsAsync(IArtifactStore store, string id)
    {
        var manifest = await store.GetManifestAsync(id);
        var rows = new List<Example>();
        foreach (var file in manifest.Files.Where(f => f.Path.StartsWith("train-") || f.Path.StartsWith("validation-")))
            rows.AddRange((await store.ReadAllTextAsync(id, file.Path)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => ExampleJson.Parse(l)));
        return rows;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Pipeline.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Pipeline.sln not found above the test's folder.");
    }

    private static async Task<RunRecord> LatestRunAsync(string artifacts, string name)
    {
        var runs = new PipelineStateStore(DocumentStoreFactory.Create(artifacts, PipelineServices.StateContainer)).Runs;
        var all = await runs.ListAsync(CancellationToken.None).ToListAsync();
        return all.Where(r => r.Name == name).OrderByDescending(r => r.CreatedAt).First();
    }
}
