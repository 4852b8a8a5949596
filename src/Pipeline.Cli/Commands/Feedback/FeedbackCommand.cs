using System.CommandLine;
using Pipeline.Artifacts;
using Pipeline.Artifacts.State;
using Pipeline.Configuration;
using Pipeline.Configuration.Feedback;
using Pipeline.Contracts;
using Pipeline.Orchestration.Messaging;
using Pipeline.Orchestration.Runs;
using Pipeline.Orchestration.Stages;
using Pipeline.Training.Feedback;
using Pipeline.Training.Feedback.HumanRatings;
using Spectre.Console;

namespace Pipeline.Cli.Commands.Feedback;

/// <summary>
/// <c>pipeline feedback export|import</c>: the human-rater loop around a feedback stage with <c>judge: human</c>. Export
/// writes its candidates (prompt, replies with ids) as a sheet to rank; import checks the filled-in sheet against the same
/// candidates and writes the preference dataset, which a later run takes as <c>inputs.preferences</c>.
/// </summary>
internal static class FeedbackCommand
{
    public static Command Create()
    {
        var command = new Command("feedback", "Human raters: export a feedback stage's candidates as a sheet, import the rankings as preference pairs.");
        command.Subcommands.Add(Export());
        command.Subcommands.Add(Import());
        return command;
    }

    private static Argument<string> Source() => new("RUN_OR_ARTIFACT")
    {
        Description = "A run id whose feedback stage ran with judge: human, its feedback_candidates artifact id, or a folder holding candidates.jsonl.",
    };

    private static Command Export()
    {
        var source = Source();
        var output = new Option<string?>("--out", "-o") { Description = "The sheet to write (default: ratings.jsonl or ratings.csv)." };
        var format = new Option<string>("--format") { Description = "jsonl (a line per prompt, fill in \"ranking\") or csv (a row per reply, fill in \"rank\").", DefaultValueFactory = _ => "jsonl" };
        format.AcceptOnlyFromAmong("jsonl", "csv");
        var artifacts = CommonOptions.Artifacts();
        var command = new Command("export", "Write the candidates of a feedback stage (judge: human) as an annotation sheet.") { source, output, format, artifacts };
        command.SetAction((r, ct) => CliErrors.GuardAsync(() => ExportAsync(r.GetValue(source)!, r.GetValue(output), r.GetValue(format)!, r.GetValue(artifacts)!, ct)));
        return command;
    }

    private static Command Import()
    {
        var sheet = new Argument<FileInfo>("SHEET") { Description = "The filled-in sheet (.jsonl or .csv) that export wrote." };
        var source = new Option<string>("--from") { Description = "The run, artifact or folder the sheet was exported from (its candidates are the reference).", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "The preference dataset folder to write (must not exist); use it as inputs.preferences.", Required = true };
        var pairing = new Option<string>("--pairing") { Description = "all_pairs (every better-over-worse pair of a ranking) or best_vs_worst.", DefaultValueFactory = _ => "all_pairs" };
        pairing.AcceptOnlyFromAmong("all_pairs", "best_vs_worst");
        var artifacts = CommonOptions.Artifacts();
        var command = new Command("import", "Read a ranked sheet back as a preference dataset (the layout the feedback stage writes).") { sheet, source, output, pairing, artifacts };
        command.SetAction((r, ct) => CliErrors.GuardAsync(() => ImportAsync(r.GetValue(sheet)!, r.GetValue(source)!, r.GetValue(output)!,
            r.GetValue(pairing) == "best_vs_worst" ? FeedbackPairing.BestVsWorst : FeedbackPairing.AllPairs, r.GetValue(artifacts)!, ct)));
        return command;
    }

    public static async Task<int> ExportAsync(string source, string? output, string format, string artifacts, CancellationToken ct)
    {
        var (prompts, _) = await CandidatesAsync(source, artifacts, ct);
        var sheetFormat = format == "csv" ? RatingSheetFormat.Csv : RatingSheetFormat.Jsonl;
        var path = Path.GetFullPath(output ?? $"ratings.{format}");
        RatingSheet.Write(path, prompts, sheetFormat);
        AnsiConsole.WriteLine($"Wrote {prompts.Count} prompts with {prompts.Sum(p => p.Replies.Count)} replies to {path}");
        AnsiConsole.WriteLine(sheetFormat == RatingSheetFormat.Csv
            ? "Fill in each reply's rank (1 = best, each rank once per prompt; leave a prompt's ranks empty to skip it)."
            : "Fill in each line's \"ranking\" with its reply ids, best first (leave [] to skip the prompt).");
        AnsiConsole.WriteLine($"Then: pipeline feedback import {Path.GetFileName(path)} --from {source} --out preferences");
        return 0;
    }

    public static async Task<int> ImportAsync(FileInfo sheet, string source, string output, FeedbackPairing pairing, string artifacts, CancellationToken ct)
    {
        var (prompts, meta) = await CandidatesAsync(source, artifacts, ct);
        try
        {
            var contents = RatingSheetReader.Read(sheet.FullName, prompts);
            var card = RatingImport.Write(Path.GetFullPath(output), contents, meta, pairing, sheet.Name);
            AnsiConsole.WriteLine($"Wrote {card.TrainPairs + card.ValidationPairs} preference pairs ({card.TrainPairs} train, {card.ValidationPairs} validation) " +
                                  $"from {card.Prompts} ranked prompts ({contents.Skipped} skipped) to {Path.GetFullPath(output)}");
            AnsiConsole.WriteLine($"Use it in a run as inputs: {{ preferences: {Path.GetFullPath(output)} }}");
            return 0;
        }
        catch (Exception e) when (e is RatingSheetException or IOException)
        {
            throw new CliException(e.Message);
        }
    }

    /// <summary>The candidates from a folder, an artifact id, or a run's feedback_candidates output.</summary>
    private static async Task<(IReadOnlyList<CandidatePrompt> Prompts, FeedbackCandidates.Meta Meta)> CandidatesAsync(string source, string artifacts, CancellationToken ct)
    {
        if (Directory.Exists(source)) return FeedbackCandidates.Read(source);
        var store = ArtifactStoreFactory.Create(artifacts);
        var id = source;
        if (Guid.TryParse(source, out var runId))
        {
            var state = new PipelineStateStore(DocumentStoreFactory.Create(artifacts, PipelineServices.StateContainer));
            var record = (await state.Runs.GetAsync(runId.ToString("N"), ct)).Value
                         ?? throw new CliException($"There is no run {runId:N} in {artifacts}; --artifacts names the store it ran in.");
            id = record.Artifacts.TryGetValue(ArtifactRoles.FeedbackCandidates, out var candidates) ? candidates.Id
                : throw new CliException($"Run {runId:N} has no {ArtifactRoles.FeedbackCandidates}: its feedback stage did not run with judge: human (or has not finished).");
        }
        var folder = Directory.CreateTempSubdirectory("pipeline-candidates-").FullName;
        try
        {
            await store.DownloadAsync(id, folder, ct);
            return FeedbackCandidates.Read(folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
