using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace Pipeline.IntegrationTests.Infrastructure;

/// <summary>
/// A private slice of the distributed topology for one test class: its own RabbitMQ virtual host and blob
/// container on the shared servers, and service processes started and stopped by infra/local/services.sh,
/// the same script a person uses.
/// </summary>
/// <param name="messaging">A broker of the test's own (its default virtual host); default: a new virtual host on the shared one.</param>
/// <param name="blob">A storage server of the test's own; default: the shared Azurite.</param>
public sealed class LocalTopology(string? messaging = null, string? blob = null) : IAsyncDisposable
{
    private readonly string infraDir = Path.Combine(Path.GetTempPath(), "pipeline-it-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<(string Service, string Instance)> started = [];
    private readonly string vhost = "it-" + Guid.NewGuid().ToString("N")[..8];

    public string Container { get; } = "it-" + Guid.NewGuid().ToString("N")[..12];
    public string Messaging => messaging ?? TestEnvironment.RabbitMq.TrimEnd('/') + "/" + vhost;
    public string Artifacts => (blob ?? TestEnvironment.Blob).TrimEnd(';') + ";ContainerName=" + Container + ";";
    public Uri Api { get; private set; } = null!;

    /// <summary>Extra settings given to every service (e.g. short leases for the crash test).</summary>
    public Dictionary<string, string> ServiceEnvironment { get; } = new()
    {
        ["Pipeline__Runtime__LeaseDuration"] = "00:00:04",
        ["Pipeline__Runtime__HeartbeatInterval"] = "00:00:01",
        // Short slices, so that even these small runs continue across several deliveries over RabbitMQ.
        ["Pipeline__Runtime__SliceDuration"] = "00:00:02",
        ["Logging__LogLevel__Default"] = "Information",
    };

    public async Task CreateVirtualHostAsync()
    {
        if (messaging is not null) return; // a private broker: its default virtual host is the test's alone
        using var http = Management();
        (await http.PutAsync($"api/vhosts/{vhost}", Json("{}"))).EnsureSuccessStatusCode();
        (await http.PutAsync($"api/permissions/{vhost}/guest", Json("""{"configure":".*","write":".*","read":".*"}"""))).EnsureSuccessStatusCode();
    }

    public async Task StartApiAsync()
    {
        var port = TestEnvironment.FreePort();
        await StartServiceAsync("api", "", port);
        Api = new Uri($"http://127.0.0.1:{port}/");
    }

    public Task StartServiceAsync(string service, string instance = "") => StartServiceAsync(service, instance, TestEnvironment.FreePort());

    private async Task StartServiceAsync(string service, string instance, int port)
    {
        var result = await RunScriptAsync("start", service, instance, port);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"services.sh start {service}{instance} failed ({result.ExitCode}):\n{result.Output}\n{Log(service, instance)}");
        this.started.Add((service, instance));
    }

    /// <summary>Kills a service process the hard way (SIGKILL): no shutdown hooks, no lease handed back.</summary>
    public void Kill(string service, string instance = "")
    {
        var pid = int.Parse(File.ReadAllText(Path.Combine(infraDir, "services", $"{service}{instance}.pid")).Trim());
        using var process = Process.GetProcessById(pid);
        process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
        this.started.Remove((service, instance));
    }

    public string Log(string service, string instance = "", int lines = 60)
    {
        var path = Path.Combine(infraDir, "services", $"{service}{instance}.log");
        return File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(lines)) : "(no log)";
    }

    private async Task<(int ExitCode, string Output)> RunScriptAsync(string verb, string service, string instance, int? port)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(TestEnvironment.RepositoryRoot, "infra", "local", "services.sh"), verb, service])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.Environment["PIPELINE_INFRA_DIR"] = infraDir;
        start.Environment["PIPELINE_INSTANCE"] = instance;
        if (port is { } p) start.Environment["PIPELINE_SERVICE_PORT"] = p.ToString();
        start.Environment["ConnectionStrings__messaging"] = Messaging;
        start.Environment["ConnectionStrings__artifacts"] = Artifacts;
        foreach (var (key, value) in ServiceEnvironment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (service, instance) in this.started.ToList())
            await RunScriptAsync("stop", service, instance, null);
        if (messaging is not null) return;
        try
        {
            using var http = Management();
            await http.DeleteAsync($"api/vhosts/{vhost}");
        }
        catch (HttpRequestException)
        {
        }
    }

    private static HttpClient Management()
    {
        var http = new HttpClient { BaseAddress = new Uri(TestEnvironment.RabbitMqManagement.TrimEnd('/') + "/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
        return http;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
