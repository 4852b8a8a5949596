using System.CommandLine;
using System.Text;
using System.Text.Json;
using Pipeline.Artifacts.State;
using Pipeline.Orchestration.Messaging;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline evaluate --model NAME=FOLDER ... --prompts FILE</c>: the evaluate stage on models outside any run, embedded
/// (the same worker, slices and report as in a run), then the report written as <c>pipeline report</c> writes it.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var models = new Option<string[]>("--model", "-m")
        {
            Description = "A candidate as NAME=FOLDER (a Hugging Face model folder); repeat for each model.", Required = true, AllowMultipleArgumentsPerToken = false,
        };
        var prompts = new Option<FileInfo>("--prompts", "-p") { Description = "Held-out prompts, JSONL ({\"id\",\"prompt\":[turns],\"reference\"} or {\"messages\"}).", Required = true };
        var judges = new Option<string[]>("--judge") { Description = "A judge (a registered reward function such as house_style); repeat for several. Default: every registered one." };
        var reference = new Option<string?>("--reference") { Description = "The candidate win rates are against (default: the first --model)." };
        var maxSamples = new Option<int>("--max-samples") { Description = "Prompts to evaluate (the first ones of the file).", DefaultValueFactory = _ => 64 };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Longest reply in tokens.", DefaultValueFactory = _ => 64 };
        var artifacts = new Option<string?>("--artifacts") { Description = "Artifact folder for the evaluation run (default ./artifacts)." };
        var output = new Option<string?>("--output", "-o") { Description = "Folder for report.html and report.md (default: reports/RUN)." };
        var open = new Option<bool>("--open") { Description = "Open report.html in the default browser." };
        var command = new Command("evaluate", "Evaluate model folders on held-out prompts (greedy, every judge, bootstrap intervals) and write the report.")
        {
            models, prompts, judges, reference, maxSamples, maxNewTokens, artifacts, output, open,
        };
        command.SetAction((r, ct) => CliErrors.GuardAsync(() => EvaluateAsync(r.GetValue(models)!, r.GetValue(prompts)!, r.GetValue(judges) ?? [], r.GetValue(reference),
            r.GetValue(maxSamples), r.GetValue(maxNewTokens), r.GetValue(artifacts), r.GetValue(output), r.GetValue(open), ct)));
        return command;
    }

    public static async Task<int> EvaluateAsync(IReadOnlyList<string> models, FileInfo prompts, IReadOnlyList<string> judges, string? reference,
        int maxSamples, int maxNewTokens, string? artifacts, string? output, bool open, CancellationToken ct)
    {
        if (!prompts.Exists) throw new CliException($"--prompts: '{prompts.FullName}' does not exist.");
        var candidates = models.Select(Parse).ToList();
        var name = $"evaluate-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        var yaml = new StringBuilder($"name: {name}\nstages:\n  evaluate:\n")
            .Append($"    prompts: {Quote(prompts.FullName)}\n")
            .Append($"    max_samples: {maxSamples}\n    max_new_tokens: {maxNewTokens}\n")
            .Append("    compare_to: []\n    baselines: []\n")
            .Append("    models:\n").AppendJoin("", candidates.Select(c => $"      - {{ name: {Quote(c.Name)}, path: {Quote(c.Folder)} }}\n"));
        if (judges.Count > 0) yaml.Append($"    judges: [{string.Join(", ", judges.Select(Quote))}]\n");
        yaml.Append($"    reference: {Quote(reference ?? candidates[0].Name)}\n");

        var folder = Path.GetFullPath(artifacts ?? "artifacts");
        Directory.CreateDirectory(folder);
        var config = new FileInfo(Path.Combine(Directory.CreateTempSubdirectory("pipeline-evaluate-").FullName, "evaluate.yaml"));
        await File.WriteAllTextAsync(config.FullName, yaml.ToString(), ct);
        try
        {
            var exit = await RunCommand.RunAsync(config, folder, select: null, ct);
            if (exit != 0) return exit;
        }
        finally
        {
            config.Directory!.Delete(recursive: true);
        }
        var runs = new PipelineStateStore(DocumentStoreFactory.Create(folder, PipelineServices.StateContainer)).Runs;
        var run = await runs.ListAsync(ct).Where(r => r.Name == name).FirstAsync(ct);
        return await ReportCommand.WriteAsync(run.RunId, folder, output, open, ct);
    }

    private static (string Name, string Folder) Parse(string value)
    {
        var equals = value.IndexOf('=');
        if (equals <= 0 || equals == value.Length - 1)
            throw new CliException($"--model '{value}': write NAME=FOLDER, e.g. --model sft=runs/sft-model.");
        var folder = Path.GetFullPath(value[(equals + 1)..]);
        if (!Directory.Exists(folder)) throw new CliException($"--model '{value}': the folder '{folder}' does not exist.");
        return (value[..equals], folder);
    }

    private static string Quote(string value) => JsonSerializer.Serialize(value);
}
