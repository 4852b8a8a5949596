using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Artifacts;
using Pipeline.Contracts;
using Pipeline.Orchestration.Messaging;
using Pipeline.Orchestration.Runs;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Bench.Cleaning;

/// <summary>
/// Sharded ingestion as deployed: the ingestion service (Release build) started as 1 and then 2 processes by
/// infra/local/services.sh against the local RabbitMQ (a private virtual host) and Azurite (a private container);
/// this process hosts only the run manager. Timed from StartPipelineRun to the run's completion: the coordinator's
/// download and cut of the input, the shards, the merge and the dataset artifact.
/// </summary>
internal static class DistributedIngestBench
{
    public static async Task<IReadOnlyList<Measurement>> RunAsync(string corpus, long shardBytes, string infraDirectory)
    {
        var rabbit = Require("PIPELINE_TEST_RABBITMQ");
        var management = Require("PIPELINE_TEST_RABBITMQ_MANAGEMENT");
        var blob = Require("PIPELINE_TEST_BLOB");
        var repo = RepositoryRoot();
        await RunProcessAsync("dotnet", ["build", Path.Combine(repo, "src/Services/Pipeline.IngestionService/Pipeline.IngestionService.csproj"), "-c", "Release", "-v", "q", "-nologo"], null);

        var suffix = Guid.NewGuid().ToString("N")[..8];
        var vhost = $"bench-cleaning-{suffix}";
        using var http = new HttpClient { BaseAddress = new Uri(management.TrimEnd('/') + "/api/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
        (await http.PutAsync($"vhosts/{vhost}", Json("{}"))).EnsureSuccessStatusCode();
        (await http.PutAsync($"permissions/{vhost}/guest", Json("""{"configure":".*","write":".*","read":".*"}"""))).EnsureSuccessStatusCode();
        var messaging = rabbit.TrimEnd('/') + "/" + vhost;
        var artifacts = blob.TrimEnd(';') + $";ContainerName=bench-cleaning-{suffix};";
        var environment = new Dictionary<string, string>
        {
            ["PIPELINE_INFRA_DIR"] = infraDirectory,
            ["CONFIGURATION"] = "Release",
            ["ConnectionStrings__messaging"] = messaging,
            ["ConnectionStrings__artifacts"] = artifacts,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var started = new List<string>();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddPipelineStorage(artifacts, new StageRuntimeOptions());
        builder.Services.AddPipelineBus(messaging, runManager: true, []);
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var store = host.Services.GetRequiredService<IArtifactStore>();
            var input = await InputImporter.ImportPathAsync(store, corpus, CancellationToken.None);
            var results = new List<Measurement>();
            foreach (var instance in new[] { "a", "b" })
            {
                await Services("start", instance, environment, repo);
                started.Add(instance);
                results.Add(await RunOnceAsync(host, input, shardBytes, corpus, started.Count));
            }
            return results;
        }
        finally
        {
            foreach (var instance in started) await Services("stop", instance, environment, repo);
            await host.StopAsync();
            await http.DeleteAsync($"vhosts/{vhost}");
            if (Directory.Exists(infraDirectory)) Directory.Delete(infraDirectory, recursive: true);
        }
    }

    private static async Task<Measurement> RunOnceAsync(IHost host, string input, long shardBytes, string corpus, int workers)
    {
        var yaml = $"""
            name: bench-cleaning-{workers}
            stages:
              ingest:
                inputs:
                  - path: "{input}"
                parallel_shard_bytes: {shardBytes}
            """;
        var state = host.Services.GetRequiredService<PipelineStateStore>();
        var runId = NewId.NextGuid();
        RunRecord? run = null;
        var measured = await Measurement.TimeAsync($"sharded ingest, {workers} ingestion service process{(workers > 1 ? "es" : "")} (end to end over RabbitMQ + Azurite)",
            new FileInfo(corpus).Length, Environment.ProcessorCount, async () =>
            {
                await host.Services.GetRequiredService<IBus>().Publish(new StartPipelineRun { RunId = runId, ConfigYaml = yaml });
                for (var deadline = DateTime.UtcNow.AddMinutes(10); DateTime.UtcNow < deadline; await Task.Delay(100))
                {
                    (run, _) = await state.Runs.GetAsync(runId.ToString("N"), CancellationToken.None);
                    if (run is { State: not RunState.Running }) return;
                }
                throw new TimeoutException($"run {runId} did not finish in 10 minutes");
            });
        if (run!.State != RunState.Completed) throw new InvalidOperationException($"run {runId} {run.State}: {run.FailureReason}");
        var metrics = run.Find(StageNames.Ingest)!.Metrics;
        var shards = Math.Ceiling(new FileInfo(corpus).Length / (double)shardBytes);
        return measured with { Note = $"~{shards} shards of {shardBytes / (1024 * 1024)} MiB; {metrics["train_rows"] + metrics["validation_rows"]:N0} kept; all cores shared by the processes" };
    }

    private static Task Services(string verb, string instance, Dictionary<string, string> environment, string repo) =>
        RunProcessAsync("bash", [Path.Combine(repo, "infra/local/services.sh"), verb, "ingestion"],
            new Dictionary<string, string>(environment) { ["PIPELINE_INSTANCE"] = instance, ["PIPELINE_SERVICE_PORT"] = FreePort().ToString() });

    private static async Task RunProcessAsync(string file, string[] arguments, Dictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (key, value) in environment ?? []) start.Environment[key] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}\n{await error}");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln"))) return dir.FullName;
        throw new InvalidOperationException($"Pipeline.sln not found above {AppContext.BaseDirectory}.");
    }

    private static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run `. .infra/run/env.sh` (infra/local/deps.sh start writes it), or pass --skip-distributed.");

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
