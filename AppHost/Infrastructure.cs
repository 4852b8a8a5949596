using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace Pipeline.AppHost;

/// <summary>Where RabbitMQ and Azurite come from.</summary>
public enum InfrastructureMode
{
    /// <summary>Container images (rabbitmq with the management plugin, Azurite), run by Docker or Podman.</summary>
    Containers,

    /// <summary>Executables on this machine: Debian's rabbitmq-server and epmd, Azurite from npm (infra/local/deps.sh install).</summary>
    Executables,
}

/// <summary>The mode chosen, why, and where the executables of <see cref="InfrastructureMode.Executables"/> live.</summary>
public sealed record InfrastructureChoice(InfrastructureMode Mode, string Reason, string InfraDirectory)
{
    public const string RabbitMQServer = "/usr/lib/rabbitmq/bin/rabbitmq-server";

    public string AzuriteDirectory => Path.Combine(InfraDirectory, "azurite");
    public string AzuriteBlob => Path.Combine(AzuriteDirectory, "node_modules", ".bin", "azurite-blob");

    /// <summary>Per-run broker state (mnesia, logs, config), under .infra/aspire/, removed by the next run.</summary>
    public string RabbitMQStateDirectory => Path.Combine(InfraDirectory, "aspire", "rabbitmq");

    public static string Epmd => ExecutableOnPath("epmd") ?? "/usr/bin/epmd";

    /// <summary>What is missing for executable mode, each with the fix; empty when everything is installed.</summary>
    public IReadOnlyList<string> MissingExecutables()
    {
        var missing = new List<string>();
        if (!File.Exists(RabbitMQServer)) missing.Add($"RabbitMQ ({RabbitMQServer}; Debian package rabbitmq-server)");
        if (!File.Exists(Epmd)) missing.Add($"epmd ({Epmd}; comes with rabbitmq-server)");
        if (!File.Exists(AzuriteBlob)) missing.Add($"Azurite ({AzuriteBlob}; npm azurite@3.35.0)");
        return missing;
    }

    private static string? ExecutableOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
}

/// <summary>
/// Chooses containers or executables. The configuration key <c>Pipeline:Infrastructure</c> (environment variable
/// <c>Pipeline__Infrastructure</c>, or <c>dotnet run --project AppHost -- --Pipeline:Infrastructure executables</c>)
/// is <c>auto</c> (default), <c>containers</c> or <c>executables</c>. <c>auto</c> asks the container runtime Aspire
/// would use (<c>ASPIRE_CONTAINER_RUNTIME</c>, default docker) whether its engine answers (<c>docker info</c>):
/// containers if it does, executables if not. <c>PIPELINE_INFRA_DIR</c> moves .infra/ as for infra/local/deps.sh.
/// </summary>
public static class Infrastructure
{
    public const string ModeKey = "Pipeline:Infrastructure";

    public static InfrastructureChoice Choose(IDistributedApplicationBuilder builder, Func<ContainerRuntimeStatus> probe)
    {
        var repository = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        var infra = builder.Configuration["PIPELINE_INFRA_DIR"] is { Length: > 0 } dir ? Path.GetFullPath(dir) : Path.Combine(repository, ".infra");
        var choice = Resolve(builder.Configuration[ModeKey], probe, infra);
        if (choice.Mode == InfrastructureMode.Executables && choice.MissingExecutables() is { Count: > 0 } missing)
            throw new InvalidOperationException(
                $"Running RabbitMQ and Azurite as executables ({choice.Reason}), but these are not installed: {string.Join("; ", missing)}. " +
                "Run `infra/local/deps.sh install` from the repository root, or start a container runtime (Docker or Podman) and set " +
                $"{ModeKey}=containers (or leave it at auto).");
        Console.WriteLine($"[apphost] RabbitMQ and Azurite as {choice.Mode.ToString().ToLowerInvariant()}: {choice.Reason}");
        return choice;
    }

    /// <summary>The decision alone (tested without a container runtime).</summary>
    public static InfrastructureChoice Resolve(string? setting, Func<ContainerRuntimeStatus> probe, string infraDirectory)
    {
        switch ((setting ?? "auto").Trim().ToLowerInvariant())
        {
            case "containers":
                return new(InfrastructureMode.Containers, $"{ModeKey}=containers", infraDirectory);
            case "executables":
                return new(InfrastructureMode.Executables, $"{ModeKey}=executables", infraDirectory);
            case "auto" or "":
                var status = probe();
                return status.Answers
                    ? new(InfrastructureMode.Containers, $"{status.Runtime} answers ({status.Detail}); set {ModeKey}=executables to run them without containers", infraDirectory)
                    : new(InfrastructureMode.Executables, $"no container runtime answers ({status.Runtime}: {status.Detail})", infraDirectory);
            default:
                throw new InvalidOperationException(
                    $"{ModeKey} is '{setting}'; allowed: auto (containers if a container runtime answers, else executables), containers, executables.");
        }
    }
}

/// <summary>Whether a container engine answers: <paramref name="Runtime"/> is docker or podman.</summary>
public sealed record ContainerRuntimeStatus(string Runtime, bool Answers, string Detail);

public static class ContainerRuntime
{
    /// <summary>Runs `docker info` (or podman, per ASPIRE_CONTAINER_RUNTIME); the client alone is not enough: the engine must answer.</summary>
    public static ContainerRuntimeStatus Probe()
    {
        var runtime = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") is { Length: > 0 } r ? r : "docker";
        try
        {
            var info = new ProcessStartInfo(runtime) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "info", "--format", "{{.ServerVersion}}" }) info.ArgumentList.Add(a);
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(15)))
            {
                process.Kill(entireProcessTree: true);
                return new(runtime, false, "`info` did not answer within 15 s");
            }
            var detail = (process.ExitCode == 0 ? stdout.Result : stderr.Result).Trim().Split('\n')[0];
            return new(runtime, process.ExitCode == 0, process.ExitCode == 0 ? $"engine {detail}" : detail);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return new(runtime, false, "not installed");
        }
    }
}
