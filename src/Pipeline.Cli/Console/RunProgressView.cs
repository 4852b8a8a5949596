using Pipeline.Contracts;
using Pipeline.Orchestration.Runs;
using Spectre.Console;

namespace Pipeline.Cli.Console;

/// <summary>
/// Follows a run by polling its record and draws one progress bar per stage (fraction, message, ETA),
/// until the run completes, fails or is cancelled. The same view serves embedded and distributed runs.
/// </summary>
internal static class RunProgressView
{
    public static async Task<RunRecord> FollowAsync(Func<CancellationToken, Task<RunRecord?>> poll, TimeSpan interval, CancellationToken ct)
    {
        RunRecord? last = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                while (true)
                {
                    last = await poll(ct) ?? last;
                    if (last is not null)
                    {
                        foreach (var stage in last.Stages)
                        {
                            if (!tasks.TryGetValue(stage.Stage, out var task))
                                tasks[stage.Stage] = task = progress.AddTask(stage.Stage, autoStart: false, maxValue: 1000);
                            Update(task, stage);
                        }
                        if (last.State != RunState.Running) break;
                    }
                    await Task.Delay(interval, ct);
                }
            });
        return last!;
    }

    private static void Update(ProgressTask task, StageStatus stage)
    {
        if (stage.State != StageState.Pending && !task.IsStarted) task.StartTask();
        task.Value = stage.State == StageState.Completed ? task.MaxValue : Math.Clamp(stage.Fraction, 0, 1) * task.MaxValue;
        var color = stage.State switch
        {
            StageState.Completed => "green",
            StageState.Failed => "red",
            StageState.Cancelled => "yellow",
            StageState.Running => "blue",
            _ => "grey",
        };
        var message = stage.State == StageState.Failed ? stage.FailureReason : stage.Message;
        var text = $"[{color}]{stage.Stage,-13}[/] {Markup.Escape(Truncate(message ?? stage.State.ToString().ToLowerInvariant(), 60))}";
        task.Description = text;
        if (stage.State is StageState.Completed or StageState.Failed or StageState.Cancelled) task.StopTask();
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    /// <summary>The final table: state, attempts, metrics and outputs per stage.</summary>
    public static void PrintSummary(RunRecord run)
    {
        var table = new Table().Title($"run {run.RunId:N} ({Markup.Escape(run.Name)}): {run.State.ToString().ToLowerInvariant()}")
            .AddColumns("stage", "state", "slices", "metrics", "outputs");
        foreach (var stage in run.Stages)
        {
            table.AddRow(
                stage.Stage,
                stage.State.ToString().ToLowerInvariant() + (stage.TakeOvers > 0 ? $" ({stage.TakeOvers} takeover)" : ""),
                stage.Slices.ToString(),
                Markup.Escape(HeadlineMetrics(Shown(stage))),
                Markup.Escape(string.Join("\n", stage.Outputs.Select(o => $"{o.Key}: {o.Value.Id}"))));
        }
        AnsiConsole.Write(table);
        foreach (var line in RunStory.Lines(run)) AnsiConsole.MarkupLine("  [bold]•[/] " + Markup.Escape(line));
        if (run.State == RunState.Failed)
            AnsiConsole.MarkupLine($"[red]stage {Markup.Escape(run.FailedStage ?? "?")} failed:[/] {Markup.Escape(run.FailureReason ?? "")}");
    }

    /// <summary>
    /// Plain metrics and the alignment headline (KL, scores, rewards per source, the judge); the alignment stages report
    /// some thirty hierarchical metrics, all in the stage's metrics.jsonl and on /metrics.
    /// </summary>
    private static string HeadlineMetrics(IEnumerable<KeyValuePair<string, double>> metrics)
    {
        static bool Headline(string name) => !name.Contains('/') || name is MetricNames.TrainLoss or MetricNames.TokensPerSecond or MetricNames.Kl or MetricNames.Scores ||
                                             name.StartsWith("eval/", StringComparison.Ordinal) || name.StartsWith("rewards/", StringComparison.Ordinal);
        var shown = metrics.Where(m => Headline(m.Key)).OrderBy(m => m.Key).Select(m => $"{m.Key} = {Format(m.Value)}").ToList();
        var hidden = metrics.Count() - shown.Count;
        if (hidden > 0) shown.Add($"(+{hidden} more in metrics.jsonl)");
        return string.Join("\n", shown);
    }

    /// <summary>
    /// The metrics the table shows: all of them, except for evaluate, where each candidate's judge scores, win rate and
    /// hacking flag are shown and the rest (lengths, diversity, overlap; about as many again) is left to `pipeline report`.
    /// </summary>
    private static IEnumerable<KeyValuePair<string, double>> Shown(StageStatus stage)
    {
        if (stage.Stage != Pipeline.Contracts.StageNames.Evaluate) return stage.Metrics;
        string[] inReport = ["/lc_win_rate", "/mean_tokens", "/hit_limit", "/distinct_2", "/sampled_distinct_2", "/rouge_l", "/perplexity", "/kl_from_start", "/reward_model_gain", "/judge_gain", "eval/candidates"];
        return stage.Metrics.Where(m => !inReport.Any(suffix => m.Key.EndsWith(suffix, StringComparison.Ordinal)));
    }

    private static string Format(double value) =>
        Math.Abs(value) >= 1000 || value == Math.Floor(value) ? value.ToString("0.##") : value.ToString("0.####");
}
