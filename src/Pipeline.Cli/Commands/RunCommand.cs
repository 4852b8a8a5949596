using System.CommandLine;
using Pipeline.Cli.Console;
using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using Pipeline.Configuration.Validation;
using Pipeline.Orchestration.Runs;
using Pipeline.Orchestration.Stages;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline run CONFIG</c>: the whole pipeline embedded in this process, with a progress bar per stage.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = new Argument<FileInfo>("CONFIG") { Description = "The run config (YAML)." };
        var artifacts = new Option<string?>("--artifacts") { Description = "Artifact folder (default: the config's 'artifacts' key, else ./artifacts)." };
        var verbose = new Option<bool>("--verbose") { Description = "Also print the services' warnings and errors (with stack traces) here; they always go to the run's log file." };
        var command = new Command("run", "Run a pipeline embedded: in-memory bus, local artifact folder, every stage in this process.") { config, artifacts, verbose };
        command.SetAction((result, ct) => CliErrors.GuardAsync(() => RunAsync(result.GetValue(config)!, result.GetValue(artifacts), null, ct, result.GetValue(verbose))));
        return command;
    }

    /// <param name="select">Narrows the config before it runs (e.g. `train sft` keeps only the sft stage).</param>
    internal static async Task<int> RunAsync(FileInfo configFile, string? artifactsOption, Func<string, string>? select, CancellationToken ct, bool verbose = false)
    {
        if (!configFile.Exists) throw new FileNotFoundException($"Run config '{configFile.FullName}' does not exist.", configFile.FullName);
        var yaml = await File.ReadAllTextAsync(configFile.FullName, ct);
        if (select is not null) yaml = select(yaml);
        var config = RunConfigLoader.Parse(yaml, configFile.Name);
        var unavailable = config.EnabledStages.Where(s => !StageCatalog.ImplementedInThisBuild.Contains(s)).ToList();
        if (unavailable.Count > 0)
            throw new CliException($"{configFile.Name}: stage(s) {string.Join(", ", unavailable)} not available in this build; " +
                                   $"available: {string.Join(", ", StageCatalog.ImplementedInThisBuild)}.");

        var baseDirectory = configFile.DirectoryName!;
        var artifacts = artifactsOption ?? (config.Artifacts is { Length: > 0 } a ? Path.GetFullPath(a, baseDirectory) : Path.GetFullPath("artifacts"));
        using var log = new RunLogFile(artifacts);
        await using var pipeline = await EmbeddedPipeline.StartAsync(artifacts, log, verbose, ct);
        CheckJudges(config, pipeline.RewardFunctions, configFile.Name);
        var submitted = await InputImporter.RewriteLocalInputsAsync(yaml, baseDirectory,
            path => InputImporter.ImportPathAsync(pipeline.Artifacts, path, ct));
        RunPlanner.Plan(submitted, configFile.Name);
        var runId = await pipeline.SubmitAsync(submitted, ct);
        AnsiConsole.MarkupLine($"run [bold]{runId:N}[/] ({Markup.Escape(config.Name)}): {string.Join(" → ", config.EnabledStages)}; artifacts in {Markup.Escape(artifacts)}");

        var run = await RunProgressView.FollowAsync(async t => (await pipeline.State.Runs.GetAsync(runId.ToString("N"), t)).Value,
            TimeSpan.FromMilliseconds(250), ct);
        RunProgressView.PrintSummary(run);
        if (run.State != RunState.Completed) AnsiConsole.MarkupLine($"the services' log, with any stack traces: {Markup.Escape(log.Path)}");
        return run.State == RunState.Completed ? 0 : 1;
    }

    /// <summary>
    /// The evaluate stage's judges resolve only against the functions registered in code, so the config loader cannot check
    /// them; here they can be, before a run trains for minutes and then fails at its last stage.
    /// </summary>
    private static void CheckJudges(RunConfig config, IReadOnlyList<string> functions, string source)
    {
        if (config.Stages.Evaluate is not { } evaluate) return;
        var available = functions.ToList();
        if (config.EnabledStages.Contains(Pipeline.Contracts.StageNames.RewardModel) || config.Inputs.RewardModel is not null)
            available.Insert(0, RewardSourceSettings.RewardModelSource);
        var problems = evaluate.Judges.Select((judge, i) => (judge, i)).Where(j => !available.Contains(j.judge))
            .Select(j => $"stages.evaluate.judges[{j.i}]: '{j.judge}' is not a judge; available: {string.Join(", ", available)}" +
                         (Suggestions.Closest(j.judge, available) is { } closest ? $" (did you mean '{closest}'?)" : "") +
                         (j.judge == RewardSourceSettings.RewardModelSource ? "; reward_model needs the reward_model stage or inputs.reward_model" : ""))
            .ToList();
        if (problems.Count > 0) throw new CliException($"{source}: {string.Join("; ", problems)}.");
    }
}
