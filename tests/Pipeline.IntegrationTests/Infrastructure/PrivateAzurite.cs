using System.Diagnostics;

namespace Pipeline.IntegrationTests.Infrastructure;

/// <summary>
/// An Azurite blob server of the test's own, persisting to a temp folder (not in memory), so it can be stopped for an
/// outage and started again on the same port and folder with every blob it had. The binary is the one
/// infra/local/deps.sh installs.
/// </summary>
public sealed class PrivateAzurite : IAsyncDisposable
{
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pipeline-it-azurite-" + Guid.NewGuid().ToString("N")[..8]);
    private Process? _process;

    public int Port { get; } = TestEnvironment.FreePort();
    public string Endpoint => $"http://127.0.0.1:{Port}/devstoreaccount1";
    public string ConnectionString => $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};BlobEndpoint={Endpoint};";

    public async Task StartAsync()
    {
        Directory.CreateDirectory(_folder);
        var start = new ProcessStartInfo(TestEnvironment.AzuriteBlob,
            ["--blobHost", "127.0.0.1", "--blobPort", Port.ToString(), "--location", _folder, "--skipApiVersionCheck", "--disableTelemetry", "--loose"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        _process = Process.Start(start)!;
        // Drain its output so a full pipe never blocks it.
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await Ports.WaitOpenAsync(Port, TimeSpan.FromSeconds(30), "Azurite");
    }

    /// <summary>
    /// Stops the server as an outage would (SIGTERM: Azurite saves its metadata on the way out, as a storage service
    /// keeps what it acknowledged) and waits until the port is closed.
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        Process.Start("kill", ["-TERM", _process.Id.ToString()])!.WaitForExit();
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
        await Ports.WaitClosedAsync(Port, TimeSpan.FromSeconds(30), "Azurite");
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
    }
}
