using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Artifacts;
using Pipeline.Contracts;
using Pipeline.Ingestion;
using Pipeline.Orchestration.Messaging;
using Pipeline.Orchestration.Runs;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Orchestration.Tests;

/// <summary>The real ingest stage on the embedded wiring: inputs uploaded, cleaned, written as a verified dataset.</summary>
public sealed class IngestionStageTests : IAsyncLifetime
{
    private readonly TempFolder root = new();
    private IHost host = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddPipelineStorage(root.PathOf("artifacts"), new StageRuntimeOptions
        {
            WorkerId = "test", ScratchDirectory = root.PathOf("scratch"),
        });
        builder.Services.AddIngestionStage();
        builder.Services.AddPipelineBus(PipelineMessaging.InMemory, runManager: true, [StageNames.Ingest]);
        builder.Services.AddPipelineTestHarness();
        host = builder.Build();
        await host.StartAsync();
    }

    private IArtifactStore Artifacts => host.Services.GetRequiredService<IArtifactStore>();

    private Task<RunRecord> RunAsync(string yaml, string baseDirectory) =>
        EmbeddedRuns.RunAsync(host, yaml, baseDirectory);

    private string WriteFile(string name, params string[] lines)
    {
        var dir = root.PathOf("data");
        Directory.CreateDirectory(dir);
        File.WriteAllLines(Path.Combine(dir, name), lines);
        return dir;
    }

    private static string Alpaca(string instruction, string output) =>
        JsonSerializer.Serialize(new { instruction, input = "", output });

    [Fact]
    public async Task Bad_rows_are_counted_and_reported_with_the_submitted_file_name_and_line()
    {
        var dir = WriteFile("tickets.jsonl",
            Alpaca("Where is my parcel 12345? It is late.", "Hello! It is on its way and arrives on Friday."),
            "{\"instruction\": \"broken",
            Alpaca("Please write to anna.berg@example.com about my refund.", "Hello! Your refund was sent to anna.berg@example.com today."),
            "{\"instruction\": \"no output\"}",
            Alpaca("Where is my parcel 12345? It is late.", "Hello! It is on its way and arrives on Friday."));
        var run = await RunAsync("""
            name: bad-rows
            stages:
              ingest:
                inputs:
                  - path: tickets.jsonl
                    format: alpaca
                validation_fraction: 0
                quality: { min_tokens: 1 }
            """, dir);

        Assert.Equal(RunState.Completed, run.State);
        var datasetId = run.Artifacts[ArtifactRoles.Dataset].Id;
        await Artifacts.VerifyAsync(datasetId);
        var card = await Artifacts.ReadAllTextAsync(datasetId, "data_card.md");
        Assert.Contains("`tickets.jsonl:2` invalid JSON", card);
        Assert.Contains("`tickets.jsonl:4` missing field 'output'", card);
        var metrics = run.Find(StageNames.Ingest)!.Metrics;
        Assert.Equal(5, metrics["rows_read"]);
        Assert.Equal(2, metrics["bad_rows"]);
        Assert.Equal(2, metrics["train_rows"]);

        // The e-mail address never reaches the dataset; its placeholder does.
        var train = await Artifacts.ReadAllTextAsync(datasetId, "train-00000.jsonl");
        Assert.DoesNotContain("anna.berg@example.com", train);
        Assert.Contains("<EMAIL>", train);
        Assert.DoesNotContain("anna.berg@example.com", card);
    }

    [Fact]
    public async Task A_file_that_is_not_the_configured_format_fails_the_stage_naming_the_file()
    {
        var dir = WriteFile("chats.jsonl", Alpaca("Hi", "Hello! How can I help?"));
        var run = await RunAsync("""
            name: wrong-format
            stages:
              ingest:
                inputs:
                  - path: chats.jsonl
                    format: sharegpt
            """, dir);

        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal(StageNames.Ingest, run.FailedStage);
        Assert.StartsWith("chats.jsonl", run.FailureReason);
        Assert.Contains("sharegpt", run.FailureReason);
    }

    [Fact]
    public async Task Default_settings_drop_a_message_repeated_with_a_courtesy_and_redact_its_names()
    {
        const string message = "Hi, this is Anna Nakamura. My order #427917 from 12/05/2023 never arrived.\n\nRegards,\nAnna Nakamura";
        const string instruction = "Reply to the customer.";
        const string reply = "Hello, I am sorry your order has not arrived. I have sent a replacement today.";
        const string longer = "The parcel with the garden chairs was left at the wrong address on Tuesday, and the neighbour there says " +
                              "nobody has collected it since then, so could you arrange a new delivery for Friday";
        static string Row(string instruction, string input, string output) => JsonSerializer.Serialize(new { instruction, input, output });
        var dir = WriteFile("tickets.jsonl",
            Row(instruction, message, reply),
            Row(instruction, message + " Thanks!", reply),
            Row(instruction, message + " Thank you.", reply),
            Row(instruction, longer + "?", reply),
            Row(instruction, longer + ".", reply));
        var run = await RunAsync("""
            name: courtesy-duplicates
            stages:
              ingest:
                inputs:
                  - path: tickets.jsonl
                validation_fraction: 0
            """, dir);

        Assert.Equal(RunState.Completed, run.State);
        var metrics = run.Find(StageNames.Ingest)!.Metrics;
        Assert.Equal((5d, 3d, 2d), (metrics["rows_read"], metrics["dropped_rows"], metrics["train_rows"]));
        var datasetId = run.Artifacts[ArtifactRoles.Dataset].Id;
        var card = await Artifacts.ReadAllTextAsync(datasetId, "data_card.json");
        Assert.Contains("\"near_duplicate\"", card);
        var train = await Artifacts.ReadAllTextAsync(datasetId, "train-00000.jsonl");
        Assert.DoesNotContain("Nakamura", train);
        Assert.Contains("Hi, this is <NAME>.", train);
    }

    [Fact]
    public async Task A_sharegpt_file_whose_every_row_has_unknown_roles_fails_the_stage_with_the_reasons()
    {
        static string Row(string role) => JsonSerializer.Serialize(new { conversations = new[] { new { from = role, value = "Where is my parcel?" }, new { from = "gpt", value = "It arrives on Friday." } } });
        var dir = WriteFile("chats.jsonl", Row("robot"), Row("robot"), Row("customer"));
        var run = await RunAsync("""
            name: no-rows-kept
            stages:
              ingest:
                inputs:
                  - path: chats.jsonl
                    format: sharegpt
            """, dir);

        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal(StageNames.Ingest, run.FailedStage);
        Assert.False(run.Artifacts.ContainsKey(ArtifactRoles.Dataset));
        Assert.StartsWith("the ingest kept no rows: all 3 rows read from chats.jsonl were dropped or unreadable (3 unreadable, 0 dropped)", run.FailureReason);
        Assert.Contains("- invalid_role (unreadable): 3 rows; first at chats.jsonl:1: item 1 of 'conversations' has role 'robot'", run.FailureReason);
        Assert.DoesNotContain("Exception", run.FailureReason);
    }

    [Fact]
    public async Task A_latin1_file_fails_the_stage_naming_file_line_byte_and_what_to_do()
    {
        var dir = root.PathOf("data");
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "latin1.jsonl"), System.Text.Encoding.Latin1.GetBytes(
            "{\"instruction\": \"Café au lait, s'il vous plaît\", \"output\": \"Bien sûr, le voilà.\"}\n"));
        var run = await RunAsync("""
            name: latin1
            stages:
              ingest:
                inputs:
                  - path: latin1.jsonl
            """, dir);

        Assert.Equal(RunState.Failed, run.State);
        Assert.Contains("- invalid_utf8 (unreadable): 1 row; first at latin1.jsonl:1: not valid UTF-8 (byte 0xE9 at column 21); save the file as UTF-8", run.FailureReason);
        Assert.DoesNotContain("Exception", run.FailureReason);
        Assert.DoesNotContain("transcode", run.FailureReason);
    }

    [Fact]
    public async Task A_preference_file_whose_every_pair_is_bad_fails_the_stage_with_the_reasons()
    {
        static string Pair(string prompt, string chosen, string rejected) => JsonSerializer.Serialize(new { prompt, chosen, rejected });
        var dir = WriteFile("pairs.jsonl",
            Pair("Where is my parcel?", "It arrives on Friday, sorry for the wait.", "It arrives on Friday, sorry for the wait."),
            "{\"prompt\": \"broken",
            Pair("Can I get a refund?", "Yes, within 30 days of delivery.", "Yes,  within 30 days of delivery."));
        var run = await RunAsync("""
            name: no-pairs-kept
            stages:
              ingest:
                inputs:
                  - path: pairs.jsonl
                    format: preference
                quality: { min_tokens: 1 }
            """, dir);

        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal(StageNames.Ingest, run.FailedStage);
        Assert.StartsWith("the ingest kept no rows: all 3 rows read from pairs.jsonl were dropped or unreadable (1 unreadable, 2 dropped). Top reasons:", run.FailureReason);
        Assert.Contains("- chosen_equals_rejected (dropped): 2 rows; first at pairs.jsonl:1: chosen and rejected are identical up to whitespace", run.FailureReason);
        Assert.Contains("- invalid_json (unreadable): 1 row; first at pairs.jsonl:2: invalid JSON", run.FailureReason);
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
        root.Dispose();
    }
}
