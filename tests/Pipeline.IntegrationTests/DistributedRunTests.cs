using System.Net;
using System.Text.Json;
using Pipeline.Artifacts;
using Pipeline.IntegrationTests.Infrastructure;
using Pipeline.Orchestration.Runs;

namespace Pipeline.IntegrationTests;

/// <summary>
/// The distributed wiring end to end: the API and the ingestion service as separate processes, RabbitMQ
/// between them, artifacts and run state in Azurite.
/// </summary>
public sealed class DistributedRunTests : IAsyncLifetime
{
    private readonly LocalTopology topology = new();
    private readonly TempFolder data = new();
    private PipelineApi api = null!;

    public async ValueTask InitializeAsync()
    {
        await topology.CreateVirtualHostAsync();
        // This deployment runs no synthesis service: the API refuses the stage at submit time (every stage is in this build).
        topology.ServiceEnvironment["Pipeline__Stages__Disabled"] = "synthesize";
        await topology.StartApiAsync();
        await topology.StartServiceAsync("ingestion");
        await topology.StartServiceAsync("sft");
        this.api = new PipelineApi(topology.Api);
    }

    private string Diagnostics() => "--- api log ---\n" + topology.Log("api") + "\n--- ingestion log ---\n" + topology.Log("ingestion");

    [Fact]
    public async Task A_run_submitted_to_the_api_ingests_into_azurite_showing_progress_then_completion()
    {
        var input = await this.api.UploadAsync(SupportData.WriteAlpacaJsonl(data.Path, rows: 6000, withBadLines: true));
        var runId = await this.api.SubmitOkAsync($"""
            name: it-ingest
            stages:
              ingest:
                inputs:
                  - path: "{input}"
                    format: alpaca
                shard_size: 500
            """);

        var (run, seen) = await this.api.WaitAsync(runId, r => r.State != RunState.Running, TimeSpan.FromMinutes(3), Diagnostics);

        Assert.Equal(RunState.Completed, run.State);
        Assert.Contains(seen, r => r.Current?.Stage == "ingest" && r.Current.Fraction is > 0 and < 1);
        var ingest = run.Find("ingest")!;
        Assert.Equal(StageState.Completed, ingest.State);
        Assert.True(ingest.Slices > 1, $"the stage should have continued across several deliveries (slices: {ingest.Slices})");
        Assert.Equal(6002, ingest.Metrics["rows_read"]);
        Assert.Equal(2, ingest.Metrics["bad_rows"]);
        Assert.Equal(6000, ingest.Metrics["train_rows"] + ingest.Metrics["validation_rows"]);

        // The dataset is in Azurite, and every file matches its manifest.
        var store = ArtifactStoreFactory.Create(topology.Artifacts);
        var datasetId = run.Artifacts["dataset"].Id;
        await store.VerifyAsync(datasetId);
        var manifest = await store.GetManifestAsync(datasetId);
        Assert.Equal(runId, manifest.RunId);
        Assert.Contains(manifest.Files, f => f.Path == "data_card.json");
        Assert.Equal(6000, await CountRowsAsync(store, datasetId, manifest));

        // The bad lines are reported with their file and line.
        var card = await store.ReadAllTextAsync(datasetId, "data_card.md");
        Assert.Contains("tickets.jsonl:4", card);
        Assert.Contains("tickets.jsonl:7", card);
    }

    private static async Task<long> CountRowsAsync(IArtifactStore store, string id, ArtifactManifest manifest)
    {
        long rows = 0;
        foreach (var file in manifest.Files.Where(f => f.Path.EndsWith(".jsonl")))
            rows += (await store.ReadAllTextAsync(id, file.Path)).Count(c => c == '\n');
        return rows;
    }

    [Fact]
    public async Task A_config_with_a_typo_is_refused_naming_the_key_and_the_fix()
    {
        var response = await this.api.SubmitAsync("""
            name: typo
            stages:
              ingest:
                inputs:
                  - path: "artifact:imports/x#a.jsonl"
                shard_sise: 500
            """);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("stages.ingest.shard_sise", body);
        Assert.Contains("Did you mean 'shard_size'?", body);
    }

    [Fact]
    public async Task A_config_naming_a_stage_this_deployment_does_not_run_is_refused_before_it_starts()
    {
        var response = await this.api.SubmitAsync("""
            name: later
            inputs:
              dataset: "artifact:imports/x"
              base_model: "artifact:imports/m"
            stages:
              synthesize: {}
            """);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("stage 'synthesize' is not available in this deployment (Pipeline:Stages:Disabled)", body);
    }

    [Fact]
    public async Task Every_service_serves_health_liveness_metrics_and_the_api_its_openapi_document()
    {
        foreach (var path in new[] { "health", "alive", "metrics", "openapi/v1.json" })
        {
            var response = await this.api.GetAsync(path);
            Assert.True(response.IsSuccessStatusCode, $"GET /{path} answered {(int)response.StatusCode}");
        }
        using var openApi = JsonDocument.Parse(await (await this.api.GetAsync("openapi/v1.json")).Content.ReadAsStringAsync());
        var paths = openApi.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/runs", paths);
        Assert.Contains("/runs/{runId}/cancel", paths);
    }

    public async ValueTask DisposeAsync()
    {
        this.api?.Dispose();
        await topology.DisposeAsync();
        data.Dispose();
    }
}
