using System.Text;
using Pipeline.Contracts;

namespace Pipeline.Evaluation.Report;

/// <summary>The run report's summary in Markdown: the candidates table, the reward-hacking verdicts and the lineage, for a pull request or a terminal.</summary>
public static class MarkdownReportWriter
{
    public const string FileName = "report.md";

    public static string Write(RunReport report)
    {
        var md = new StringBuilder($"# {report.Title}\n\n");
        if (report.RunId is { } runId) md.Append($"Run `{runId:N}`, generated {report.CreatedAt:yyyy-MM-dd HH:mm} UTC.\n\n");
        foreach (var setting in report.Settings) md.Append($"- {setting}\n");
        if (report.Settings.Count > 0) md.Append('\n');
        if (report.Evaluation is { } summary)
        {
            var columns = ReportFormatting.Columns(summary);
            md.Append($"## Candidates\n\n{summary.Prompts} held-out prompts; wins by {summary.PrimaryJudge} against {summary.Reference} (ties half); 95% bootstrap intervals in brackets.\n\n");
            md.Append("| candidate | ").AppendJoin(" | ", columns.Select(c => c.Header)).Append(" |\n|---|").Append(string.Concat(columns.Select(_ => "---|"))).Append('\n');
            foreach (var candidate in summary.Candidates)
                md.Append($"| {candidate.Name} | ").AppendJoin(" | ", columns.Select(c =>
                {
                    var e = candidate.Metrics.GetValueOrDefault(c.Metric);
                    var interval = ReportFormatting.Interval(e);
                    return interval.Length == 0 ? ReportFormatting.Value(e) : $"{ReportFormatting.Value(e)} {interval}";
                })).Append(" |\n");
            md.Append('\n');
            foreach (var candidate in summary.Candidates) md.Append($"- **{candidate.Name}**: {candidate.Description}\n");
            md.Append("\n## Reward hacking\n\n");
            if (summary.RewardHacking.Count == 0) md.Append("No check (needs an RL-trained policy, its SFT model, the reward model and an independent judge).\n");
            foreach (var check in summary.RewardHacking)
                md.Append($"- {(check.Flagged ? "⚠ " : "")}**{check.Policy}** over {check.Baseline}: {check.RewardJudge} {ReportFormatting.Value(check.RewardModelGain)} " +
                          $"{ReportFormatting.Interval(check.RewardModelGain)}, {check.IndependentJudge} {ReportFormatting.Value(check.JudgeGain)} {ReportFormatting.Interval(check.JudgeGain)}; {check.Verdict}.\n");
            md.Append('\n');
        }
        if (report.Lineage.Count > 0)
        {
            md.Append("## Lineage\n\n| artifact | kind | made by | size | files |\n|---|---|---|---|---|\n");
            foreach (var a in report.Lineage) md.Append($"| `{a.Id}` | {a.Kind.Name()} | {a.ProducerStage} | {ReportFormatting.Size(a.TotalSize)} | {a.Files.Count} |\n");
            md.Append('\n');
        }
        md.Append($"Plots, per-rule breakdown and side-by-side samples: {HtmlReportWriter.FileName}.\n");
        return md.ToString();
    }
}
