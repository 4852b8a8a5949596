using System.Text;
using System.Text.Json;
using Pipeline.Artifacts;
using Pipeline.IntegrationTests.Infrastructure;
using Pipeline.Orchestration.Runs;

namespace Pipeline.IntegrationTests;

/// <summary>
/// Sharded ingestion over RabbitMQ with two ingestion replicas competing for the shards: one is killed (SIGKILL) in
/// the middle of a shard; its unacknowledged shard returns to the queue, the other replica cleans it, and the
/// dataset is identical, file for file, to one replica's run of the same input.
/// </summary>
public sealed class ShardedIngestionCrashTests : IAsyncLifetime
{
    private const int Rows = 5_000;
    private const long ShardBytes = 384 * 1024;
    private readonly LocalTopology topology = new();
    private readonly TempFolder data = new();
    private PipelineApi api = null!;

    public async ValueTask InitializeAsync()
    {
        await topology.CreateVirtualHostAsync();
        await topology.StartApiAsync();
        await topology.StartServiceAsync("ingestion", "a");
        await topology.StartServiceAsync("ingestion", "b");
        this.api = new PipelineApi(topology.Api);
    }

    private string Diagnostics() =>
        "--- api ---\n" + topology.Log("api") + "\n--- ingestion a ---\n" + topology.Log("ingestion", "a") + "\n--- ingestion b ---\n" + topology.Log("ingestion", "b");

    [Fact]
    public async Task A_replica_killed_mid_shard_leaves_the_dataset_complete_and_identical_to_a_single_replica_run()
    {
        var input = await this.api.UploadAsync(WriteTickets(data.Path, Rows));
        var yaml = $"""
            name: it-shards
            stages:
              ingest:
                inputs:
                  - path: "{input}"
                shard_size: 2000
                parallel_shard_bytes: {ShardBytes}
            """;
        var runId = await this.api.SubmitOkAsync(yaml);

        // 1. replica a finishes one shard, starts its next: kill it while that one is half done
        var shard = await WaitForSecondShardAsync("a", TimeSpan.FromMinutes(2));
        var killedAt = DateTimeOffset.UtcNow;
        topology.Kill("ingestion", "a");
        var lastOfA = topology.Log("ingestion", "a");
        var start = $"cleaning shard {shard} of";
        Assert.DoesNotMatch($"shard {shard} of \\d+ cleaned", lastOfA[(lastOfA.LastIndexOf(start, StringComparison.Ordinal) + start.Length)..]);

        // 2. b alone takes the redelivered shard (and the stage, if a was its coordinator) and the run completes
        var (run, _) = await this.api.WaitAsync(runId, r => r.State != RunState.Running, TimeSpan.FromMinutes(3), Diagnostics);
        Assert.Equal(RunState.Completed, run.State);
        var store = ArtifactStoreFactory.Create(topology.Artifacts);
        var prefix = $"runs/{runId:N}/ingest";
        var outputs = await ListAsync(store, $"{prefix}/shards/");
        Assert.True(outputs.Count >= 8, $"expected the input in at least 8 shards, got {outputs.Count}");

        // 3. the killed shard was committed once, after the kill, by the survivor; a's half-done attempt left no manifest
        var killed = outputs[shard - 1];
        var attempts = await ListAsync(store, $"{prefix}/shard-attempts/{shard - 1:D5}-");
        var attempt = Assert.Single(attempts);
        Assert.Equal(attempt.Id, Assert.Single(killed.Parents));
        Assert.True(attempt.CreatedAt > killedAt, $"shard {shard} was committed at {attempt.CreatedAt:O}, before the kill at {killedAt:O}");
        Assert.Equal(Rows + 1, run.Find("ingest")!.Metrics["rows_read"]);

        // 4. the dataset is the one replica b writes alone
        var reference = await this.api.SubmitOkAsync(yaml.Replace("it-shards", "it-shards-reference"));
        var (referenceRun, _) = await this.api.WaitAsync(reference, r => r.State != RunState.Running, TimeSpan.FromMinutes(3), Diagnostics);
        Assert.Equal(RunState.Completed, referenceRun.State);
        var expected = await store.GetManifestAsync(referenceRun.Artifacts["dataset"].Id);
        var actual = await store.GetManifestAsync(run.Artifacts["dataset"].Id);
        Assert.Equal(expected.Files.Select(f => (f.Path, f.Sha256)), actual.Files.Select(f => (f.Path, f.Sha256)));
        Assert.Contains(actual.Files, f => f.Path == "train-00001.jsonl");
        await store.VerifyAsync(actual.Id);
        var card = await store.ReadAllTextAsync(actual.Id, "data_card.md");
        Assert.Contains($"`tickets.jsonl:{Rows / 2 + 2}` invalid JSON", card);
        Assert.Contains($"`tickets.jsonl:{Rows - 98}` near-duplicate of example", card);
    }

    /// <summary>The 1-based number of the second shard replica a starts, once its log says so.</summary>
    private async Task<int> WaitForSecondShardAsync(string instance, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var log = topology.Log("ingestion", instance);
            var started = System.Text.RegularExpressions.Regex.Matches(log, @"cleaning shard (\d+) of");
            if (started.Count >= 2) return int.Parse(started[1].Groups[1].Value);
            await Task.Delay(10);
        }
        throw new TimeoutException($"replica {instance} did not start a second shard in {timeout}\n{Diagnostics()}");
    }

    private static async Task<List<ArtifactManifest>> ListAsync(IArtifactStore store, string prefix)
    {
        var found = new List<ArtifactManifest>();
        await foreach (var manifest in store.ListAsync(prefix)) found.Add(manifest);
        return found;
    }

    /// <summary>
    /// Support tickets of random words (unrelated rows share no 5-word shingles), about 700 bytes each; one bad line
    /// in the middle, and near the end a near-duplicate (other case and punctuation) of the second row.
    /// </summary>
    private static string WriteTickets(string directory, int rows)
    {
        string[] words =
        [
            "order", "parcel", "refund", "invoice", "account", "delivery", "address", "warranty", "battery", "screen",
            "charger", "cable", "router", "printer", "monday", "tuesday", "friday", "morning", "evening", "courier",
            "depot", "label", "return", "exchange", "voucher", "discount", "payment", "card", "bank", "transfer",
            "password", "login", "update", "firmware", "install", "setup", "manual", "guide", "support", "team",
        ];
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "tickets.jsonl");
        var random = new Random(5);
        string Sentence(int n) => string.Join(' ', Enumerable.Range(0, n).Select(_ => words[random.Next(words.Length)]));
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        for (var i = 0; i < rows; i++)
        {
            var output = i switch
            {
                1 => "Hello! The replacement kettle ships from the Leeds warehouse tomorrow and arrives before noon on Friday.",
                _ when i == rows - 100 => "hello, the replacement kettle ships from the leeds warehouse tomorrow; and arrives before noon on friday!",
                _ => $"Hello! {Sentence(90)}.",
            };
            var instruction = i == 1 || i == rows - 100 ? "Where is my kettle?" : $"Ticket {i}: {Sentence(12)}?";
            writer.WriteLine(JsonSerializer.Serialize(new { instruction, input = "", output }));
            if (i == rows / 2) writer.WriteLine("{\"instruction\": \"broken");
        }
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        this.api?.Dispose();
        await topology.DisposeAsync();
        data.Dispose();
    }
}
