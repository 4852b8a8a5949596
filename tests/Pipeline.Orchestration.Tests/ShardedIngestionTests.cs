using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Artifacts;
using Pipeline.Contracts;
using Pipeline.Ingestion;
using Pipeline.Ingestion.ShardCoordination;
using Pipeline.Orchestration.Messaging;
using Pipeline.Orchestration.Runs;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Orchestration.Tests;

/// <summary>
/// Sharded ingestion end to end on the embedded wiring: a large input (here: larger than a tiny
/// parallel_shard_bytes) is cut into shards, cleaned by the shard consumer, merged from hashes and signatures,
/// and the dataset is byte for byte the one the single pass writes, near-duplicates across shards included.
/// </summary>
public sealed class ShardedIngestionTests : IAsyncLifetime
{
    private const int Rows = 120;
    private const int ShardBytes = 4096;
    private readonly TempFolder root = new();
    private IHost host = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddPipelineStorage(root.PathOf("artifacts"), new StageRuntimeOptions
        {
            // Short slices, so the coordinator yields while it waits for shards and continues in new deliveries.
            WorkerId = "test", ScratchDirectory = root.PathOf("scratch"), SliceDuration = TimeSpan.FromMilliseconds(300),
        });
        builder.Services.AddPipelineBus(PipelineMessaging.InMemory, runManager: true, [StageNames.Ingest]);
        // After the bus, as the ingestion service's Program does: the shard consumer must still get its queue.
        builder.Services.AddIngestionStage();
        builder.Services.AddPipelineTestHarness();
        host = builder.Build();
        await host.StartAsync();
    }

    private IArtifactStore Artifacts => host.Services.GetRequiredService<IArtifactStore>();

    [Fact]
    public async Task A_sharded_run_writes_the_dataset_of_the_single_pass_and_finds_near_duplicates_across_shards()
    {
        var (dir, lines) = TicketCorpus.Write(root.PathOf("data"), Rows);

        var sharded = await RunAsync(Config("sharded", ShardBytes), dir);
        var single = await RunAsync(Config("single", 64L * 1024 * 1024), dir);

        Assert.Equal(RunState.Completed, sharded.State);
        Assert.Equal(RunState.Completed, single.State);

        // 1. it was sharded: one committed output per shard, and the planted pairs sit in different shards
        var shards = await CleanedShardsAsync(sharded.RunId);
        Assert.True(shards.Count >= 5, $"expected the {new FileInfo(lines.Path).Length}-byte input in shards of {ShardBytes} bytes, got {shards.Count}");
        Assert.Empty(await CleanedShardsAsync(single.RunId));
        int ShardOf(string phrase) => shards.FindIndex(s => s.Contains(phrase, StringComparison.Ordinal));
        Assert.NotEqual(ShardOf(TicketCorpus.NearDuplicateOriginal), ShardOf(TicketCorpus.NearDuplicateCopy));
        Assert.NotEqual(ShardOf(TicketCorpus.ExactDuplicate), shards.FindLastIndex(s => s.Contains(TicketCorpus.ExactDuplicate, StringComparison.Ordinal)));

        // 2. the later copies are gone from the dataset, the first occurrences kept
        var datasetId = sharded.Artifacts[ArtifactRoles.Dataset].Id;
        var rows = await AllRowsAsync(datasetId);
        Assert.Single(rows, r => r.Contains(TicketCorpus.NearDuplicateOriginal, StringComparison.Ordinal));
        Assert.DoesNotContain(rows, r => r.Contains(TicketCorpus.NearDuplicateCopy, StringComparison.Ordinal));
        Assert.Single(rows, r => r.Contains(TicketCorpus.ExactDuplicate, StringComparison.Ordinal));
        var metrics = sharded.Find(StageNames.Ingest)!.Metrics;
        Assert.Equal((Rows + 1, 1, Rows - 2), (metrics["rows_read"], metrics["bad_rows"], metrics["train_rows"] + metrics["validation_rows"]));

        // 3. the card cites by the submitted name and the line in the whole file, across shards
        var card = await Artifacts.ReadAllTextAsync(datasetId, "data_card.md");
        Assert.Contains($"`tickets.jsonl:{lines.BadLine}` invalid JSON", card);
        Assert.Contains($"`tickets.jsonl:{lines.NearDuplicateCopyLine}` near-duplicate of example", card);
        Assert.DoesNotContain("kim.novak@example.com", string.Concat(rows));

        // 4. and every file is the single pass's, byte for byte
        var expected = await Artifacts.GetManifestAsync(single.Artifacts[ArtifactRoles.Dataset].Id);
        var actual = await Artifacts.GetManifestAsync(datasetId);
        Assert.Equal(expected.Files.Select(f => (f.Path, f.Sha256)), actual.Files.Select(f => (f.Path, f.Sha256)));
        await Artifacts.VerifyAsync(datasetId);
    }

    [Fact]
    public async Task A_duplicate_shard_command_only_announces_the_committed_shard_again()
    {
        var (dir, _) = TicketCorpus.Write(root.PathOf("data"), Rows);
        var run = await RunAsync(Config("duplicate", ShardBytes), dir);
        Assert.Equal(RunState.Completed, run.State);
        var attemptsBefore = await CountAsync($"runs/{run.RunId:N}/ingest/shard-attempts/");
        var output = ShardArtifacts.OutputId(run.RunId, 1);
        var committed = await Artifacts.GetManifestAsync(output);

        await host.Services.GetRequiredService<IBus>().Publish(new CleanIngestShard
        {
            RunId = run.RunId, ShardIndex = 1, ShardCount = 9, SettingsJson = "{}", Input = new ArtifactRef("imports/none", ArtifactKind.Dataset),
            InputFile = "none.jsonl", InputName = "none.jsonl", RecordFormat = "alpaca", Container = "JsonLines", OutputId = output,
        });
        var announced = await host.Harness().Published
            .SelectAsync<IngestShardCleaned>(m => m.Context.Message.RunId == run.RunId && m.Context.Message.ShardIndex == 1).Take(2).ToListAsync();
        Assert.Equal(2, announced.Count);
        var again = announced[^1].Context.Message;

        // The command could not even be read as a shard (no such input, no settings): it was never cleaned again.
        Assert.Equal(output, again.Output.Id);
        Assert.Null(again.Failure);
        Assert.Equal(attemptsBefore, await CountAsync($"runs/{run.RunId:N}/ingest/shard-attempts/"));
        var after = await Artifacts.GetManifestAsync(output);
        Assert.Equal((committed.CreatedAt, Assert.Single(committed.Parents)), (after.CreatedAt, Assert.Single(after.Parents)));
    }

    private static string Config(string name, long shardBytes) => $"""
        name: {name}
        stages:
          ingest:
            inputs:
              - path: tickets.jsonl
                format: alpaca
            validation_fraction: 0.2
            shard_size: 100
            parallel_shard_bytes: {shardBytes}
        """;

    private Task<RunRecord> RunAsync(string yaml, string baseDirectory) =>
        EmbeddedRuns.RunAsync(host, yaml, baseDirectory);

    /// <summary>Each committed shard's examples, in shard order.</summary>
    private async Task<List<string>> CleanedShardsAsync(Guid runId)
    {
        var shards = new List<string>();
        await foreach (var output in Artifacts.ListAsync($"runs/{runId:N}/ingest/shards/"))
            shards.Add(await Artifacts.ReadAllTextAsync(Assert.Single(output.Parents), "examples.jsonl"));
        return shards;
    }

    private async Task<List<string>> AllRowsAsync(string datasetId)
    {
        var rows = new List<string>();
        foreach (var file in (await Artifacts.GetManifestAsync(datasetId)).Files.Where(f => f.Path.EndsWith(".jsonl", StringComparison.Ordinal)))
            rows.AddRange((await Artifacts.ReadAllTextAsync(datasetId, file.Path)).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        return rows;
    }

    private async Task<int> CountAsync(string prefix)
    {
        var count = 0;
        await foreach (var _ in Artifacts.ListAsync(prefix)) count++;
        return count;
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
        root.Dispose();
    }
}

/// <summary>
/// Support tickets of random words (so unrelated rows share no 5-word shingles), with planted trouble: an exact
/// duplicate and a near-duplicate (the same words, other case and punctuation) far apart, a bad line, an e-mail.
/// </summary>
public static class TicketCorpus
{
    public const string NearDuplicateOriginal = "Hello! Your replacement kettle ships from the Leeds warehouse";
    public const string NearDuplicateCopy = "hello, your replacement kettle ships from the leeds warehouse";
    public const string ExactDuplicate = "The loyalty points from March were added to your account";

    private static readonly string[] Words =
    [
        "order", "parcel", "refund", "invoice", "account", "delivery", "address", "warranty", "battery", "screen",
        "charger", "cable", "router", "printer", "monday", "tuesday", "friday", "morning", "evening", "courier",
        "depot", "label", "return", "exchange", "voucher", "discount", "payment", "card", "bank", "transfer",
        "password", "login", "email", "update", "firmware", "install", "setup", "manual", "guide", "support",
        "team", "agent", "ticket", "number", "reference", "status", "tracking", "late", "early", "broken",
        "missing", "damaged", "extra", "quick", "slow", "green", "blue", "small", "large", "heavy",
    ];

    public sealed record Layout(string Path, int BadLine, int NearDuplicateCopyLine);

    public static (string Directory, Layout Lines) Write(string directory, int rows)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "tickets.jsonl");
        var random = new Random(7);
        var text = new StringBuilder();
        int line = 0, badLine = 0, copyLine = 0;
        void Add(string row)
        {
            text.Append(row).Append('\n');
            line++;
        }
        for (var i = 0; i < rows; i++)
        {
            string Sentence(int words) => string.Join(' ', Enumerable.Range(0, words).Select(_ => Words[random.Next(Words.Length)]));
            var instruction = $"Ticket {i}: {Sentence(12)}?";
            var output = i switch
            {
                3 => $"{NearDuplicateOriginal} tomorrow and the courier brings it before noon, with the old one collected at the door.",
                5 or 80 => $"{ExactDuplicate} today.",
                9 => $"Hello! We wrote to kim.novak@example.com about {Sentence(10)}.",
                _ => $"Hello! {Sentence(25)}.",
            };
            if (i is 5 or 80) instruction = "Where are my loyalty points from March?";
            if (i == rows - 10)
            {
                output = $"{NearDuplicateCopy} tomorrow; and the courier brings it before noon, with the old one collected at the door!";
                instruction = "When does my replacement kettle arrive?";
                copyLine = line + 1;
            }
            if (i == 3) instruction = "When does my replacement kettle arrive?";
            Add(JsonSerializer.Serialize(new { instruction, input = "", output }));
            if (i == rows / 2)
            {
                Add("{\"instruction\": \"broken");
                badLine = line;
            }
        }
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(false));
        return (directory, new Layout(path, badLine, copyLine));
    }
}
