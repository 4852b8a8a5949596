using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Pipeline.Artifacts.State;
using Pipeline.Cli.Commands;
using Pipeline.Cli.Tests.Serving;
using Pipeline.Orchestration.Messaging;
using Pipeline.Orchestration.Runs;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Cli.Tests.Feedback;

/// <summary>
/// The feedback stage with judge: llm, run embedded (`pipeline run`), asking a real OpenAI-compatible server on a loopback
/// port (our own server over a tiny random Llama), an endpoint that is not there, and the run's own model in-process.
/// </summary>
[Collection(EmbeddedRunCollection.Name)]
public sealed class LlmJudgeHttpTests(ServerFixture server, TinyModelFolders models) : IClassFixture<ServerFixture>
{
    private static string Data => Path.Combine(RepositoryRoot(), "examples", "quickstart", "data");

    private string Config(string llmJudge) => $$"""
        name: judge-http
        seed: 3
        inputs: { base_model: "{{models.Llama.Directory}}" }
        stages:
          ingest:
            inputs: [{ path: "{{Data}}/support.jsonl", format: openai }]
            near_duplicates: { enabled: false }
          feedback:
            judge: llm
            llm_judge: {{llmJudge}}
            samples_per_prompt: 3
            max_prompts: 4
            max_new_tokens: 6
            max_prompt_length: 64
            batch_size: 2
            checkpoint_every: 1
        """;

    private static async Task<(int ExitCode, RunRecord Run)> RunAsync(TempFolder folder, string yaml)
    {
        var config = folder.PathOf("run.yaml");
        await File.WriteAllTextAsync(config, yaml);
        var exitCode = await RunCommand.RunAsync(new FileInfo(config), Artifacts(folder), select: null, TestContext.Current.CancellationToken);
        return (exitCode, Assert.Single(await State(folder).Runs.ListAsync(TestContext.Current.CancellationToken).ToListAsync()));
    }

    private static string Artifacts(TempFolder folder) => Path.Combine(folder.Path, "artifacts");

    private static PipelineStateStore State(TempFolder folder) => new(DocumentStoreFactory.Create(Artifacts(folder), PipelineServices.StateContainer));

    [Fact]
    public async Task A_pipeline_serve_endpoint_judges_every_pair_in_both_orders_and_its_unparseable_verdicts_are_counted_and_dropped()
    {
        using var folder = new TempFolder();
        var before = server.Served.Scheduler.Statistics;

        var (exitCode, run) = await RunAsync(folder, Config($$"""{ endpoint: { url: "{{server.BaseAddress}}", model: tiny-llama, max_retries: 0 }, max_attempts: 2 }"""));

        // A random model answers with noise, not "A" or "B": each of the 4 prompts' C(3,2) pairs is asked in both orders,
        // twice each, every verdict is dropped, and the stage says why it has no pair instead of guessing one.
        var after = server.Served.Scheduler.Statistics;
        Assert.Equal(1, exitCode);
        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal("feedback", run.FailedStage);
        var counts = Regex.Match(run.FailureReason!, @"\((\d+) judge calls, (\d+) verdicts unparseable after the retries, 0 agreeing and 0 disagreeing both-order comparisons, (\d+) input and (\d+) output tokens\)");
        Assert.True(counts.Success, run.FailureReason);
        var (calls, dropped, input, output) = (long.Parse(counts.Groups[1].Value), long.Parse(counts.Groups[2].Value), long.Parse(counts.Groups[3].Value), long.Parse(counts.Groups[4].Value));
        Assert.InRange(dropped, 1, 4 * 3 * 2);   // at most every ordered pair of 3 replies of 4 prompts (identical replies are not compared)
        Assert.Equal(2 * dropped, calls);        // every verdict asked max_attempts times
        // Every call went over HTTP to the server, and the tokens counted are the ones the server reported.
        Assert.Equal(calls, after.RequestsCompleted - before.RequestsCompleted);
        Assert.Equal(after.PromptTokens - before.PromptTokens, input);
        Assert.Equal(after.TokensGenerated - before.TokensGenerated, output);
        Assert.StartsWith("feedback: The judge 'llm (pairwise, tiny-llama at " + server.BaseAddress, run.FailureReason);
    }

    [Fact]
    public async Task An_unreachable_endpoint_fails_the_stage_naming_the_address_after_the_configured_retries()
    {
        using var folder = new TempFolder();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();   // nothing listens there now: every connection is refused

        var (exitCode, run) = await RunAsync(folder, Config($$"""{ endpoint: { url: "http://127.0.0.1:{{port}}/v1", model: judge, max_retries: 1 } }"""));

        Assert.Equal(1, exitCode);
        Assert.Equal("feedback", run.FailedStage);
        Assert.Contains($"The chat endpoint http://127.0.0.1:{port}/v1/ (model judge) did not answer after 2 attempts: ", run.FailureReason);
        Assert.Contains("failed on batch 1 of 2", run.FailureReason);
        Assert.EndsWith("No batch had finished.", run.FailureReason);
        Assert.DoesNotContain("Exception", run.FailureReason);
    }

    [Fact]
    public async Task An_endpoint_that_goes_down_mid_stage_fails_it_with_the_finished_batches_kept_in_a_checkpoint()
    {
        using var folder = new TempFolder();
        // A real HTTP server that answers "A" to the first batch's 2 prompts × C(3,2) pairs × 2 orders, then 503 for good.
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        var calls = 0;
        app.MapPost("/v1/chat/completions", context => Interlocked.Increment(ref calls) <= 12
            ? Results.Json(new JsonObject
            {
                ["id"] = "chatcmpl-1", ["object"] = "chat.completion", ["created"] = 0, ["model"] = "judge",
                ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = "A" }, ["finish_reason"] = "stop" }),
                ["usage"] = new JsonObject { ["prompt_tokens"] = 50, ["completion_tokens"] = 1, ["total_tokens"] = 51 },
            }).ExecuteAsync(context)
            : Results.StatusCode(503).ExecuteAsync(context));
        await app.StartAsync(TestContext.Current.CancellationToken);

        var yaml = Config($$"""{ endpoint: { url: "{{app.Urls.First()}}/v1", model: judge, max_retries: 0 }, max_attempts: 1 }""").Replace("checkpoint_every: 1", "checkpoint_every: 10");
        var (exitCode, run) = await RunAsync(folder, yaml);

        Assert.Equal(1, exitCode);
        Assert.Contains("failed on batch 2 of 2: The chat endpoint " + app.Urls.First() + "/v1/ (model judge) did not answer after 1 attempt: ", run.FailureReason);
        Assert.EndsWith("The first 1 finished batches are kept in the stage's checkpoint and a resumed run continues from there.", run.FailureReason);
        var stage = (await State(folder).Stages.GetAsync(StageRecord.Id(run.RunId, "feedback"), TestContext.Current.CancellationToken)).Value!;
        Assert.Equal(1, stage.CheckpointCount);
        Assert.NotNull(stage.LatestCheckpoint);
    }

    [Fact]
    public async Task Without_an_endpoint_the_runs_own_model_judges_in_process_in_score_mode()
    {
        using var folder = new TempFolder();
        var (exitCode, run) = await RunAsync(folder, Config("{ mode: score, max_attempts: 1 }"));

        // 4 prompts × 3 replies, one call each; the tiny model's answers are not numbers 1–10, so none is kept.
        Assert.Equal(1, exitCode);
        Assert.Contains("The judge 'llm (score, the policy ", run.FailureReason);
        Assert.Contains("(12 judge calls, 12 verdicts unparseable after the retries", run.FailureReason);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Pipeline.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Pipeline.sln not found above the test binaries.");
    }
}
