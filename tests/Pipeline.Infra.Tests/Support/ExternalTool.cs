using System.Diagnostics;

namespace Pipeline.Infra.Tests.Support;

/// <summary>The outcome of running a command-line tool.</summary>
public sealed record ToolRun(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The command and everything it printed, for an assertion message.</summary>
    public string Describe() =>
        $"`{Command}` exited with {ExitCode}.\n--- stdout ---\n{StandardOutput.TrimEnd()}\n--- stderr ---\n{StandardError.TrimEnd()}";
}

/// <summary>Finds tools on PATH and runs them, capturing their output.</summary>
public static class ExternalTool
{
    /// <summary>A generous bound, only so that a hung tool fails the test instead of hanging CI.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    /// <summary>The full path of an executable named <paramref name="name"/> on PATH, or null.</summary>
    public static string? Find(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate) && IsExecutable(candidate)) return candidate;
            if (OperatingSystem.IsWindows() && File.Exists(candidate + ".exe")) return candidate + ".exe";
        }
        return null;
    }

    /// <summary>Whether an environment variable asks for a tool to be present ("1" or "true").</summary>
    public static bool Required(string variable) =>
        Environment.GetEnvironmentVariable(variable) is "1" or "true" or "TRUE" or "True";

    public static ToolRun Run(string executable, IEnumerable<string> arguments, string workingDirectory)
    {
        var info = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        var command = string.Join(' ', [Path.GetFileName(executable), .. info.ArgumentList]);

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start `{command}`.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Bound))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{command}` did not finish within {Bound.TotalSeconds} s and was stopped.");
        }
        return new ToolRun(command, process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
