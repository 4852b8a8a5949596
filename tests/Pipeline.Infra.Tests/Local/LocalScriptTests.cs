using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Local;

/// <summary>
/// infra/local/deps.sh and services.sh, sourced for their functions: they must not take someone else's server for
/// theirs, must wait for apt's lock, must bring kubectl, and must wait for services quietly.
/// </summary>
public sealed class LocalScriptTests : IDisposable
{
    private readonly TempFolder scratch = new();

    public LocalScriptTests() => Directory.CreateDirectory(Path.Combine(Infra, "run"));

    private string Infra => scratch.Path;

    private static ToolRun Bash(string script, params string[] environment) =>
        ExternalTool.Run("/usr/bin/env", [.. environment, "bash", "-c", script], Repository.Root);

    private static TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    private static int PortOf(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;

    [Fact]
    public void Waiting_for_a_service_prints_no_connection_errors()
    {
        int closed;
        using (var probe = Listen()) closed = PortOf(probe);

        var run = Bash($". infra/local/services.sh; for i in 1 2 3; do healthy {closed} || echo refused; done");

        Assert.Equal("refused\nrefused\nrefused\n", run.StandardOutput);
        Assert.Equal("", run.StandardError);
    }

    [Fact]
    public void A_default_port_held_by_another_server_moves_to_a_free_one()
    {
        using var amqp = Listen();
        using var blob = Listen();
        File.WriteAllText(Path.Combine(Infra, "run", "ports.sh"), $"chosen_amqp_port={PortOf(amqp)}\nchosen_blob_port={PortOf(blob)}\n");

        var run = Bash(". infra/local/deps.sh; choose_ports; echo \"$amqp_port $blob_port $amqp_uri\"", $"PIPELINE_INFRA_DIR={Infra}");

        Assert.True(run.Succeeded, run.Describe());
        var ports = run.StandardOutput.Split(' ');
        Assert.NotEqual(PortOf(amqp).ToString(), ports[0]);
        Assert.NotEqual(PortOf(blob).ToString(), ports[1]);
        Assert.Equal($"amqp://guest:guest@127.0.0.1:{ports[0]}/", ports[2].Trim());
        Assert.Contains($"127.0.0.1:{PortOf(amqp)} is taken by another server (not ours); our RabbitMQ uses {ports[0]}", run.StandardError);
        Assert.Contains($"chosen_amqp_port={ports[0]}", File.ReadAllText(Path.Combine(Infra, "run", "ports.sh")));
    }

    [Fact]
    public void An_explicit_port_held_by_another_server_fails_instead_of_using_that_server()
    {
        using var other = Listen();

        var run = Bash(". infra/local/deps.sh; choose_ports", $"PIPELINE_INFRA_DIR={Infra}", $"PIPELINE_AMQP_PORT={PortOf(other)}");

        Assert.False(run.Succeeded, run.Describe());
        Assert.Contains($"127.0.0.1:{PortOf(other)} (PIPELINE_AMQP_PORT) is taken by a process this script did not start; choose a free port", run.StandardError);
    }

    [Fact]
    public void Every_apt_get_waits_for_the_dpkg_lock()
    {
        var script = Repository.ReadText("infra/local/deps.sh");
        var calls = Regex.Matches(script, @"^(?!\s*#).*\bapt-get\b.*$", RegexOptions.Multiline).Select(m => m.Value).ToList();

        var call = Assert.Single(calls); // one wrapper, apt_get, that every install goes through
        Assert.Contains("-o DPkg::Lock::Timeout=600", call);
        Assert.DoesNotMatch(@"\bsudo apt-get\b|\$sudo apt-get update", script.Replace(call, ""));
    }

    [Fact]
    public void Test_sh_requires_kubectl_and_deps_sh_brings_one_onto_the_path()
    {
        Assert.Contains("export PIPELINE_REQUIRE_KUBECTL=1", Repository.ReadText("test.sh"));
        Assert.Matches(@"(?s)install\(\) \{.*\binstall_kubectl\b.*\n\}", Repository.ReadText("infra/local/deps.sh"));
        var bin = Directory.CreateDirectory(Path.Combine(Infra, "bin")).FullName;
        File.WriteAllText(Path.Combine(bin, "kubectl"), "#!/bin/sh\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(Path.Combine(bin, "kubectl"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var run = Bash(". infra/local/deps.sh; write_env; . \"$PIPELINE_INFRA_DIR/run/env.sh\"; command -v kubectl", $"PIPELINE_INFRA_DIR={Infra}");

        Assert.True(run.Succeeded, run.Describe());
        Assert.Equal(Path.Combine(bin, "kubectl"), run.StandardOutput.Trim());
    }

    public void Dispose() => scratch.Dispose();
}
