using System.CommandLine;
using System.Diagnostics;
using Pipeline.Artifacts;
using Pipeline.Artifacts.State;
using Pipeline.Contracts;
using Pipeline.Evaluation.Report;
using Pipeline.Orchestration.Messaging;
using Pipeline.Orchestration.Runs;
using Pipeline.Orchestration.Stages;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline report RUN [--open]</c>: the run's report as files on disk. A run with an evaluate stage has its report
/// artifact (candidates, plots, lineage); any other run gets one made now from its artifacts: lineage, data card, the
/// stages' metric histories and results.
/// </summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var run = new Argument<Guid>("RUN") { Description = "The run id (as `pipeline run` and `pipeline status` print it)." };
        var artifacts = CommonOptions.Artifacts();
        var output = new Option<string?>("--output", "-o") { Description = "Folder to write report.html and report.md into (default: reports/RUN)." };
        var open = new Option<bool>("--open") { Description = "Open report.html in the default browser." };
        var command = new Command("report", "Write a run's report (self-contained HTML and Markdown) and optionally open it.") { run, artifacts, output, open };
        command.SetAction((result, ct) => CliErrors.GuardAsync(() => WriteAsync(result.GetValue(run), result.GetValue(artifacts)!,
            result.GetValue(output), result.GetValue(open), ct)));
        return command;
    }

    public static async Task<int> WriteAsync(Guid runId, string artifacts, string? output, bool open, CancellationToken ct)
    {
        var state = new PipelineStateStore(DocumentStoreFactory.Create(artifacts, PipelineServices.StateContainer));
        var record = (await state.Runs.GetAsync(runId.ToString("N"), ct)).Value
                     ?? throw new CliException($"There is no run {runId:N} in {artifacts}; `pipeline status` lists a run's stages, and --artifacts names the store it ran in.");
        var store = ArtifactStoreFactory.Create(artifacts);
        var folder = Path.GetFullPath(output ?? Path.Combine("reports", runId.ToString("N")));
        Directory.CreateDirectory(folder);

        if (record.Artifacts.TryGetValue(ArtifactRoles.Report, out var report))
        {
            foreach (var file in (await store.GetManifestAsync(report.Id, ct)).Files)
            {
                var target = Path.Combine(folder, file.Path);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await using var source = await store.OpenReadAsync(report.Id, file.Path, ct);
                await using var stream = File.Create(target);
                await source.CopyToAsync(stream, ct);
            }
            AnsiConsole.MarkupLine($"The evaluate stage's report ([grey]{Markup.Escape(report.Id)}[/]):");
        }
        else
        {
            var scratch = Directory.CreateTempSubdirectory("pipeline-report-").FullName;
            RunReport built;
            try
            {
                built = await BuildAsync(record, store, scratch, ct);
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
            await File.WriteAllTextAsync(Path.Combine(folder, HtmlReportWriter.FileName), HtmlReportWriter.Write(built), ct);
            await File.WriteAllTextAsync(Path.Combine(folder, MarkdownReportWriter.FileName), MarkdownReportWriter.Write(built), ct);
            AnsiConsole.MarkupLine("This run has no evaluate stage; a report of its lineage, data and metric histories:");
        }
        var html = Path.Combine(folder, HtmlReportWriter.FileName);
        AnsiConsole.WriteLine($"  {html}");
        AnsiConsole.WriteLine($"  {Path.Combine(folder, MarkdownReportWriter.FileName)}");
        if (open) Open(html);
        return 0;
    }

    private static async Task<RunReport> BuildAsync(RunRecord record, IArtifactStore store, string scratch, CancellationToken ct)
    {
        var outputs = record.Stages.SelectMany(s => s.Outputs.Values).Select(a => a.Id).Concat(record.Artifacts.Values.Select(a => a.Id)).Distinct().ToList();
        var lineage = await ReportSources.LineageAsync(store, outputs, ct);
        return new RunReport
        {
            Title = $"Run report: {record.Name}",
            RunId = record.RunId,
            Settings = [$"state: {record.State.ToString().ToLowerInvariant()}" + (record.FailedStage is null ? "" : $" at {record.FailedStage}: {record.FailureReason}"),
                        $"stages: {string.Join(", ", record.Stages.Select(s => s.Stage))}"],
            Lineage = lineage,
            DataCard = record.Artifacts.TryGetValue(ArtifactRoles.Dataset, out var dataset) ? await ReportSources.DataCardAsync(store, dataset.Id, ct) : null,
            Histories = await ReportSources.HistoriesAsync(store, lineage, scratch, ct),
            StageMetrics = record.Stages.Where(s => s.Metrics.Count > 0)
                .ToDictionary(s => s.Stage, s => (IReadOnlyDictionary<string, double>)s.Metrics),
        };
    }

    /// <summary>Hands the file to the desktop's opener; where there is none (a server), says so and leaves the path printed above.</summary>
    private static void Open(string path)
    {
        var opener = OperatingSystem.IsMacOS() ? "open" : OperatingSystem.IsWindows() ? "explorer" : "xdg-open";
        try
        {
            using var process = Process.Start(new ProcessStartInfo(opener, [path]) { UseShellExecute = false, RedirectStandardError = true });
        }
        catch (System.ComponentModel.Win32Exception)
        {
            AnsiConsole.MarkupLine($"[yellow]Could not start {opener} to open the report; open the file above in a browser.[/]");
        }
    }
}
