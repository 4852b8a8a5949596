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
    private readonly string folder = Path.Combine(Path.GetTempPath(), "pipeline-it-azurite-" + Guid.NewGuid().ToString("N")[..8]);
    private Process? process;

    public int Port { get; } = TestEnvironment.FreePort();
    public string Endpoint => $"http://127.0.0.1:{Port}/devstoreaccount1";
    public string ConnectionString => $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};BlobEndpoint={Endpoint};";

    public async Task StartAsync()
    {
        Directory.CreateDirectory(this.folder);
        var start = new ProcessStartInfo(TestEnvironment.AzuriteBlob,
            ["--blobHost", "127.0.0.1", "--blobPort", Port.ToString(), "--location", this.folder, "--skipApiVersionCheck", "--disableTelemetry", "--loose"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        process = Process.Start(start)!;
        // Drain its output so a full pipe never blocks it.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await Ports.WaitOpenAsync(Port, TimeSpan.FromSeconds(30), "Azurite");
    }

    /// <summary>
    /// Stops the server as an outage would (SIGTERM: Azurite saves its metadata on the way out, as a storage service
    /// keeps what it acknowledged) and waits until the port is closed.
    /// </summary>
    public async Task StopAsync()
    {
        if (process is null) return;
        Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit();
        await process.WaitForExitAsync();
        process.Dispose();
        process = null;
        await Ports.WaitClosedAsync(Port, TimeSpan.FromSeconds(30), "Azurite");
    }

    public async ValueTask DisposeAsync()
    {
        if (process is not null)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
        try { Directory.Delete(this.folder, recursive: true); }
        catch (IOException) { }
    }
}
