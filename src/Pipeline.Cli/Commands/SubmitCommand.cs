using System.CommandLine;
using System.Net.Http.Json;
using Pipeline.Cli.Console;
using Pipeline.Configuration;
using Pipeline.Orchestration.Runs;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline submit CONFIG --api URL</c>: validate locally, upload local inputs, start the run on the cluster.</summary>
internal static class SubmitCommand
{
    public static Command Create()
    {
        var config = new Argument<FileInfo>("CONFIG") { Description = "The run config (YAML)." };
        var api = CommonOptions.Api();
        var wait = new Option<bool>("--wait") { Description = "Follow the run with progress bars until it ends." };
        var command = new Command("submit", "Submit a run to the pipeline API (distributed mode).") { config, api, wait };
        command.SetAction((result, ct) => CliErrors.GuardAsync(() => SubmitAsync(result.GetValue(config)!, result.GetValue(api), result.GetValue(wait), ct)));
        return command;
    }

    private static async Task<int> SubmitAsync(FileInfo configFile, string? api, bool wait, CancellationToken ct)
    {
        if (!configFile.Exists) throw new FileNotFoundException($"Run config '{configFile.FullName}' does not exist.", configFile.FullName);
        using var client = ApiClient.Create(api);
        var yaml = await File.ReadAllTextAsync(configFile.FullName, ct);
        RunConfigLoader.Parse(yaml, configFile.Name);
        var submitted = await InputImporter.RewriteLocalInputsAsync(yaml, configFile.DirectoryName!, path => client.UploadAsync(path, ct));
        var accepted = await client.SubmitAsync(submitted, ct);
        AnsiConsole.MarkupLine($"run [bold]{accepted.RunId:N}[/] submitted: {string.Join(" → ", accepted.Stages)}");
        if (!wait) return 0;
        var run = await RunProgressView.FollowAsync(t => client.GetRunAsync(accepted.RunId, t), TimeSpan.FromSeconds(1), ct);
        RunProgressView.PrintSummary(run);
        return run.State == RunState.Completed ? 0 : 1;
    }
}
