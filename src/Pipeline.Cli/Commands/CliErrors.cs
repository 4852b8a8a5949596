using Pipeline.Artifacts;
using Pipeline.Configuration;
using Pipeline.Orchestration.Runs;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary>Turns the failures a person can fix into a printed reason and exit code 1 (never a stack trace).</summary>
internal static class CliErrors
{
    public static async Task<int> GuardAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (ex is RunConfigException or RunPlanException or FileNotFoundException or DirectoryNotFoundException
                                       or ArtifactNotFoundException or ArtifactCorruptException or InvalidArtifactKeyException
                                       or HttpRequestException or CliException or ArgumentException)
        {
            AnsiConsole.MarkupLine("[red]error:[/] " + Markup.Escape(ex.Message));
            return 1;
        }
    }
}

/// <summary>A failure whose message is the whole explanation.</summary>
public sealed class CliException(string message) : Exception(message);
