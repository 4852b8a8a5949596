using System.Diagnostics;

namespace Pipeline.IntegrationTests.Infrastructure;

/// <summary>
/// A RabbitMQ broker of the test's own (the shared one serves tests running in parallel, so a fault test must not kill
/// it): its own node name, free ports, data and log folders under a temp folder, no plugins. Started the way
/// infra/local/deps.sh starts the shared one (rabbitmq-server -detached, then rabbitmqctl wait on its pid file), killed
/// with SIGKILL and restarted on the same port and data folder, so durable queues and persistent messages survive.
/// </summary>
public sealed class PrivateRabbitMq : IAsyncDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "pipeline-it-rabbit-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly int distributionPort = TestEnvironment.FreePort();

    public int Port { get; } = TestEnvironment.FreePort();
    public string Uri => $"amqp://guest:guest@127.0.0.1:{Port}/";
    private string NodeName => $"pipeline-fault-{Port}@localhost";
    private string PidFile => Path.Combine(this.folder, "rabbitmq.pid");

    public async Task StartAsync()
    {
        Directory.CreateDirectory(Path.Combine(this.folder, "log"));
        Directory.CreateDirectory(Path.Combine(this.folder, "home"));
        await File.WriteAllTextAsync(Path.Combine(this.folder, "rabbitmq.conf"), $"""
            listeners.tcp.default = 127.0.0.1:{Port}
            loopback_users.guest = true
            """);
        // No management plugin: the test needs only AMQP, and a plugin's own ports would be more to keep free.
        await File.WriteAllTextAsync(Path.Combine(this.folder, "enabled_plugins"), "[].");
        var (code, output) = await RunAsync("rabbitmq-server", ["-detached"], TimeSpan.FromSeconds(60));
        if (code != 0) throw new InvalidOperationException($"rabbitmq-server -detached failed ({code}): {output}\n{Log()}");
        (code, output) = await RunAsync("rabbitmqctl", ["-q", "wait", PidFile], TimeSpan.FromSeconds(90));
        if (code != 0) throw new InvalidOperationException($"rabbitmqctl wait failed ({code}): {output}\n{Log()}");
        await Ports.WaitOpenAsync(Port, TimeSpan.FromSeconds(60), "RabbitMQ");
    }

    /// <summary>SIGKILL to the broker's Erlang VM: no clean shutdown, connections drop, unacknowledged deliveries stay queued.</summary>
    public async Task KillAsync()
    {
        var pid = int.Parse((await File.ReadAllTextAsync(PidFile)).Trim());
        using (var process = Process.GetProcessById(pid))
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        // PID 1 here reaps orphans slowly: the closed port, not the pid, says the broker is gone.
        await Ports.WaitClosedAsync(Port, TimeSpan.FromSeconds(30), "RabbitMQ");
        await Ports.WaitClosedAsync(distributionPort, TimeSpan.FromSeconds(30), "RabbitMQ distribution");
    }

    private string Log()
    {
        var path = Path.Combine(this.folder, "log", NodeName + ".log");
        return File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(30)) : "(no broker log)";
    }

    private async Task<(int Code, string Output)> RunAsync(string tool, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Path.Combine(TestEnvironment.RabbitMqBin, tool), arguments)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.Environment["HOME"] = Path.Combine(this.folder, "home");
        start.Environment["RABBITMQ_NODENAME"] = NodeName;
        start.Environment["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
        start.Environment["RABBITMQ_NODE_PORT"] = Port.ToString();
        start.Environment["RABBITMQ_DIST_PORT"] = distributionPort.ToString();
        start.Environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(this.folder, "mnesia");
        start.Environment["RABBITMQ_LOG_BASE"] = Path.Combine(this.folder, "log");
        start.Environment["RABBITMQ_CONFIG_FILE"] = Path.Combine(this.folder, "rabbitmq");
        start.Environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(this.folder, "enabled_plugins");
        start.Environment["RABBITMQ_PID_FILE"] = PidFile;
        start.Environment["ERL_EPMD_ADDRESS"] = "127.0.0.1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{tool} did not finish within {timeout}");
        }
        return (process.ExitCode, await output + await error);
    }

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(PidFile) && int.TryParse((await File.ReadAllTextAsync(PidFile)).Trim(), out var pid))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            catch (ArgumentException)
            {
                // already gone
            }
        }
        try { Directory.Delete(this.folder, recursive: true); }
        catch (IOException) { }
    }
}
