using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Pipeline.Bench.Modeling;

/// <summary>
/// Runs one measurement in a fresh process of this benchmark, so each has its own peak memory and nothing a previous
/// configuration allocated (or libtorch cached) skews the next. The child prints its result as the last line, prefixed.
/// </summary>
public static class ChildProcess
{
    public const string ResultPrefix = "RESULT ";

    public static T Run<T>(IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // Started as `dotnet Pipeline.Bench.Modeling.dll` the process path is dotnet itself: pass the assembly first.
        var self = Environment.ProcessPath!;
        start.FileName = self;
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{string.Join(' ', start.ArgumentList)}' took longer than {timeout.TotalMinutes:0} min.");
        }
        var line = stdout.Result.Split('\n').LastOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
            throw new InvalidOperationException($"'{string.Join(' ', start.ArgumentList)}' exited with {process.ExitCode}: " +
                (stderr.Result.Trim() is { Length: > 0 } error ? error : stdout.Result.Trim()));
        return JsonSerializer.Deserialize<T>(line[ResultPrefix.Length..])!;
    }

    public static int Report<T>(T result)
    {
        Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(result));
        return 0;
    }
}
