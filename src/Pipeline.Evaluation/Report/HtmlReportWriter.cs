using System.Net;
using System.Text;
using Pipeline.Contracts;
using Pipeline.Evaluation.Results;

namespace Pipeline.Evaluation.Report;

/// <summary>
/// The run report as one self-contained HTML file: styles inline, plots as inline SVG, no script and no reference to
/// anything outside the file, so it opens offline, from an artifact store or an e-mail attachment alike.
/// </summary>
public static class HtmlReportWriter
{
    public const string FileName = "report.html";

    public static string Write(RunReport report)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">")
            .Append($"<title>{E(report.Title)}</title><style>{Style}</style></head><body>");
        html.Append($"<h1>{E(report.Title)}</h1><p class=\"meta\">");
        if (report.RunId is { } runId) html.Append($"run <code>{runId:N}</code> · ");
        html.Append($"generated {report.CreatedAt:yyyy-MM-dd HH:mm} UTC</p>");
        if (report.Settings.Count > 0) html.Append("<ul class=\"settings\">").AppendJoin("", report.Settings.Select(s => $"<li>{E(s)}</li>")).Append("</ul>");

        if (report.Evaluation is { } summary)
        {
            Candidates(html, summary);
            RewardHacking(html, summary);
            Rules(html, summary);
            SideBySide(html, report, summary);
        }
        Histories(html, report);
        StageMetrics(html, report);
        DataCard(html, report);
        Lineage(html, report);
        return html.Append("</body></html>").ToString();
    }

    private static void Candidates(StringBuilder html, EvaluationSummary summary)
    {
        html.Append($"<h2 id=\"candidates\">Candidates</h2><p>{summary.Prompts} held-out prompts, the same greedy decoding for every candidate. " +
                    $"Wins are decided by <b>{E(summary.PrimaryJudge)}</b> against <b>{E(summary.Reference)}</b> (ties count half); " +
                    "the length-controlled win rate is the win rate a logistic regression on the length difference predicts at equal length. " +
                    "Brackets: 95% bootstrap interval over prompts.</p>");
        var columns = ReportFormatting.Columns(summary);
        html.Append("<table class=\"candidates\"><thead><tr><th>candidate</th><th>what it is</th>");
        foreach (var (_, header) in columns) html.Append($"<th>{E(header)}</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var candidate in summary.Candidates)
        {
            var cls = candidate.Name == summary.Reference ? " class=\"reference\"" : "";
            // A long description (a baseline's whole system prompt) folds, so every row stays one line high.
            var what = candidate.Description.Length <= 90 ? E(candidate.Description)
                : $"<details><summary>{E(candidate.Description[..80])}…</summary>{E(candidate.Description)}</details>";
            html.Append($"<tr data-candidate=\"{E(candidate.Name)}\"{cls}><th>{E(candidate.Name)}</th><td class=\"what\">{what}</td>");
            foreach (var (metric, _) in columns)
            {
                var estimate = candidate.Metrics.GetValueOrDefault(metric);
                html.Append($"<td>{ReportFormatting.Value(estimate)}<span class=\"ci\">{ReportFormatting.Interval(estimate)}</span></td>");
            }
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
        html.Append("<div class=\"plots\">");
        foreach (var judge in summary.Judges)
            html.Append(SvgCharts.Bars($"{judge} by candidate", $"{judge} (score)", [.. summary.Candidates.Select(c =>
            {
                var e = c.Metrics[MetricNames.Judge(judge)];
                return new ChartBar(c.Name, e.Value, e.Low, e.High, c.Kind == CandidateKind.Baseline);
            })]));
        html.Append(SvgCharts.Bars($"win rate vs {summary.Reference}", "win rate (fraction)", [.. summary.Candidates.Select(c =>
        {
            var e = c.Metrics[MetricNames.WinRate];
            return new ChartBar(c.Name, e.Value, e.Low, e.High, c.Kind == CandidateKind.Baseline);
        })]));
        html.Append("</div><p class=\"note\">Red bars: baselines (an untrained model, prompted); blue: trained models.</p>");
    }

    private static void RewardHacking(StringBuilder html, EvaluationSummary summary)
    {
        html.Append("<h2 id=\"reward-hacking\">Reward hacking</h2>");
        if (summary.RewardHacking.Count == 0)
        {
            html.Append("<p>No check: it needs an RL-trained policy, its SFT model, the reward model and an independent judge among the candidates and judges.</p>");
            return;
        }
        html.Append("<table><thead><tr><th>policy</th><th>over</th><th>reward model gain</th><th>independent judge gain</th><th>reward/length r</th><th>verdict</th></tr></thead><tbody>");
        foreach (var c in summary.RewardHacking)
            html.Append($"<tr class=\"{(c.Flagged ? "flagged" : "ok")}\"><th>{E(c.Policy)}</th><td>{E(c.Baseline)}</td>" +
                        $"<td>{ReportFormatting.Value(c.RewardModelGain)}<span class=\"ci\">{ReportFormatting.Interval(c.RewardModelGain)}</span></td>" +
                        $"<td>{ReportFormatting.Value(c.JudgeGain)} ({E(c.IndependentJudge)})<span class=\"ci\">{ReportFormatting.Interval(c.JudgeGain)}</span></td>" +
                        $"<td>{ReportFormatting.Number(c.RewardLengthCorrelation)}</td><td>{(c.Flagged ? "⚠ " : "")}{E(c.Verdict)}</td></tr>");
        html.Append("</tbody></table>");
    }

    private static void Rules(StringBuilder html, EvaluationSummary summary)
    {
        var rules = ReportFormatting.Rules(summary);
        if (rules.Count == 0) return;
        html.Append("<h2 id=\"rules\">Per-rule breakdown</h2><p>Share of replies passing each rule.</p><table class=\"rules\"><thead><tr><th rowspan=\"2\">candidate</th>");
        // One header cell per judge over its rules, then the rule names alone (rule/JUDGE/RULE).
        foreach (var group in rules.GroupBy(r => r.Split('/')[1])) html.Append($"<th colspan=\"{group.Count()}\">{E(group.Key)} rules</th>");
        html.Append("</tr><tr>");
        foreach (var rule in rules) html.Append($"<th>{E(rule.Split('/')[2].Replace('_', ' '))}</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var candidate in summary.Candidates)
        {
            html.Append($"<tr><th>{E(candidate.Name)}</th>");
            foreach (var rule in rules)
            {
                var estimate = candidate.Metrics.GetValueOrDefault(rule);
                html.Append($"<td>{ReportFormatting.Value(estimate)}<span class=\"ci\">{ReportFormatting.Interval(estimate)}</span></td>");
            }
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
    }

    private static void SideBySide(StringBuilder html, RunReport report, EvaluationSummary summary)
    {
        html.Append($"<h2 id=\"samples\">Side by side</h2><p>The first {Math.Min(report.SideBySidePrompts, report.Prompts.Count)} prompts; scores by {E(summary.PrimaryJudge)}.</p>");
        foreach (var prompt in report.Prompts.Take(report.SideBySidePrompts))
        {
            html.Append($"<div class=\"sample\"><p class=\"question\"><b>{E(prompt.Id)}</b> {E(prompt.Question)}</p>");
            if (prompt.Reference is { } reference) html.Append($"<p class=\"reference\"><i>reference:</i> {E(reference)}</p>");
            html.Append("<table><tbody>");
            foreach (var candidate in report.Candidates)
            {
                var answer = candidate.Answers.FirstOrDefault(a => a.PromptId == prompt.Id);
                if (answer is null) continue;
                var score = answer.Scores.TryGetValue(summary.PrimaryJudge, out var s) ? ReportFormatting.Number(s) : "–";
                html.Append($"<tr><th>{E(candidate.Name)}</th><td class=\"score\">{score}</td><td class=\"reply\">{E(answer.Text)}{(answer.HitTokenLimit ? " <span class=\"ci\">[token limit]</span>" : "")}</td></tr>");
            }
            html.Append("</tbody></table></div>");
        }
    }

    private static void Histories(StringBuilder html, RunReport report)
    {
        html.Append("<h2 id=\"history\">Metric history</h2>");
        if (report.Histories.Count == 0) { html.Append("<p>No stage of this run wrote a metric history.</p>"); return; }
        foreach (var history in report.Histories)
        {
            html.Append($"<h3>{E(history.Stage)}</h3><p class=\"note\">from <code>{E(history.Source)}</code></p><div class=\"plots\">");
            foreach (var series in history.Series.Where(s => s.Points.Count > 0))
                html.Append(SvgCharts.Line(series.Name, "step (optimizer steps)", $"{series.Name} ({MetricUnits.Of(series.Name)})",
                    [new ChartSeries($"{history.Stage}: {series.Name}", series.Points)]));
            html.Append("</div>");
        }
    }

    private static void StageMetrics(StringBuilder html, RunReport report)
    {
        if (report.StageMetrics.Count == 0) return;
        html.Append("<h2 id=\"stage-metrics\">Stage results</h2>");
        foreach (var (stage, metrics) in report.StageMetrics)
        {
            html.Append($"<details><summary>{E(stage)} ({metrics.Count} metrics)</summary><table><tbody>");
            foreach (var (name, value) in metrics.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                html.Append($"<tr><th>{E(name)}</th><td>{ReportFormatting.Number(value)}</td></tr>");
            html.Append("</tbody></table></details>");
        }
    }

    private static void DataCard(StringBuilder html, RunReport report)
    {
        if (report.DataCard is not { } card) return;
        html.Append($"<h2 id=\"data\">Data</h2><p class=\"note\">data card of <code>{E(card.ArtifactId)}</code></p><table><tbody>");
        foreach (var (key, value) in card.Facts) html.Append($"<tr><th>{E(key)}</th><td>{E(value)}</td></tr>");
        html.Append("</tbody></table>");
        if (card.Markdown is { } markdown) html.Append($"<details><summary>the whole data card</summary><pre>{E(markdown)}</pre></details>");
    }

    private static void Lineage(StringBuilder html, RunReport report)
    {
        html.Append("<h2 id=\"lineage\">Lineage</h2>");
        if (report.Lineage.Count == 0) { html.Append("<p>No artifacts.</p>"); return; }
        html.Append("<table class=\"lineage\"><thead><tr><th>artifact</th><th>kind</th><th>made by</th><th>created</th><th>size</th><th>files (SHA-256)</th><th>parents</th></tr></thead><tbody>");
        foreach (var artifact in report.Lineage)
        {
            html.Append($"<tr><th><code>{E(artifact.Id)}</code></th><td>{artifact.Kind.Name()}</td><td>{E(artifact.ProducerStage)}</td><td>{artifact.CreatedAt:yyyy-MM-dd HH:mm}</td>" +
                        $"<td>{ReportFormatting.Size(artifact.TotalSize)}</td><td><details><summary>{artifact.Files.Count} files</summary><ul class=\"files\">");
            foreach (var file in artifact.Files) html.Append($"<li><code>{E(file.Path)}</code> {ReportFormatting.Size(file.Size)} <code class=\"hash\">{E(file.Sha256)}</code></li>");
            html.Append($"</ul></details></td><td>{string.Join("<br>", artifact.Parents.Select(p => $"<code>{E(p)}</code>"))}</td></tr>");
        }
        html.Append("</tbody></table>");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1400px;padding:0 16px;color:#222}
        h1{margin-bottom:4px}h2{margin-top:32px;border-bottom:1px solid #ddd}.meta,.note{color:#666;font-size:13px}
        table{border-collapse:collapse;font-size:13px;margin:8px 0}th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
        thead th{background:#f4f4f4}td.what{max-width:280px;color:#555}.ci{display:block;color:#888;font-size:11px}
        tr.reference th{background:#eef5ff}tr.flagged{background:#fff1f0}tr.ok{background:#f3fbf3}
        .plots{display:flex;flex-wrap:wrap;gap:12px}svg.plot{border:1px solid #eee;background:#fff}
        .sample{border-left:3px solid #ccd;padding-left:10px;margin:12px 0}.reply{white-space:pre-wrap;max-width:900px}td.score{text-align:right}
        code{font-size:12px}code.hash{color:#777;word-break:break-all}ul.files{margin:0;padding-left:16px;max-width:520px}pre{white-space:pre-wrap;font-size:12px}
        """;
}
