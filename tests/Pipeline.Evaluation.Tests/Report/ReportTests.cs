using System.Text.RegularExpressions;
using Pipeline.Contracts;
using Pipeline.Evaluation.Report;
using Pipeline.Evaluation.Results;

namespace Pipeline.Evaluation.Tests.Report;

public sealed class ReportTests
{
    [Fact]
    public void The_html_is_self_contained_and_escapes_replies()
    {
        var html = HtmlReportWriter.Write(SyntheticRun.Report());
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain("src=", html);
        Assert.DoesNotContain("url(", html);
        // The only URL is SVG's namespace name, which no browser fetches.
        Assert.Equal(["http://www.w3.org/2000/svg"], Regex.Matches(html, "https?://[^\"' <]+").Select(m => m.Value).Distinct());
        Assert.Contains("Hello &lt;b&gt;sft_model&lt;/b&gt; reply", html);
        Assert.DoesNotContain("<b>sft_model</b> reply", html);
        foreach (var name in SyntheticRun.CandidateNames) Assert.Contains($"data-candidate=\"{name}\"", html);
    }

    [Fact]
    public void Every_plot_has_a_title_axis_labels_with_units_and_a_legend()
    {
        var svg = SvgCharts.Line("objective/kl", "step (optimizer steps)", "objective/kl (nats)", [new ChartSeries("grpo", [new MetricPoint(1, 0.1), new MetricPoint(2, 0.3)])]);
        Assert.Contains(">objective/kl<", svg);
        Assert.Contains(">step (optimizer steps)<", svg);
        Assert.Contains(">objective/kl (nats)<", svg);
        Assert.Contains("class=\"legend\"", svg);
        Assert.Contains("data-points=\"2\"", svg);
        Assert.Equal("nats", MetricUnits.Of("objective/kl"));
        Assert.Equal("nats/token", MetricUnits.Of("loss/policy"));
        Assert.Equal("seconds", MetricUnits.Of("timing/rollout"));
        Assert.Equal("tokens", MetricUnits.Of("completions/mean_length"));
        Assert.Equal("score", MetricUnits.Of("rewards/house_style"));
    }

    [Fact]
    public void Axis_ticks_are_round_and_cover_the_data()
    {
        var (min, max, ticks) = SvgCharts.Axis(0.13, 0.87);
        Assert.Equal(0.0, min, 12);
        Assert.Equal(1.0, max, 12);
        Assert.Equal([0, 0.2, 0.4, 0.6, 0.8, 1.0], ticks.Select(t => Math.Round(t, 9)));
        var flat = SvgCharts.Axis(3, 3);
        Assert.True(flat.Min < 3 && flat.Max > 3);
    }

    [Fact]
    public void The_markdown_summary_lists_every_candidate_with_intervals()
    {
        var md = MarkdownReportWriter.Write(SyntheticRun.Report());
        foreach (var name in SyntheticRun.CandidateNames) Assert.Contains($"| {name} |", md);
        Assert.Matches(@"\| sft_model \| 0\.\d{3} \[0\.\d{3}, 0\.\d{3}\]", md);
        Assert.Contains("## Reward hacking", md);
        Assert.Contains("`runs/x/sft/model`", md);
    }

    [Fact]
    public void A_policy_whose_reward_model_score_rises_while_the_judge_does_not_is_flagged()
    {
        var (prompts, hacked) = SyntheticRun.Candidates(policyRewardModelBoost: 0.8, policyJudgeBoost: 0);
        var check = Assert.Single(EvaluationScoring.Summarize(prompts, hacked, ["house_style", "reward_model"], "sft_model", "reward_model").RewardHacking);
        Assert.Equal("policy_model", check.Policy);
        Assert.Equal("sft_model", check.Baseline);
        Assert.True(check.RewardModelGain.Low > 0, check.Verdict);
        Assert.True(check.Flagged, check.Verdict);
        Assert.StartsWith("possible reward hacking", check.Verdict);

        var (_, honest) = SyntheticRun.Candidates(policyRewardModelBoost: 0.1, policyJudgeBoost: 0.3);
        var fine = Assert.Single(EvaluationScoring.Summarize(prompts, honest, ["house_style", "reward_model"], "sft_model", "reward_model").RewardHacking);
        Assert.False(fine.Flagged, fine.Verdict);
        Assert.True(fine.JudgeGain.Low > 0);
    }

    [Fact]
    public void Models_imported_as_inputs_are_checked_by_their_roles_and_baselines_never()
    {
        var (prompts, candidates) = SyntheticRun.Candidates(policyRewardModelBoost: 0.8, policyJudgeBoost: 0);
        var imported = candidates.Select(c => c.Kind == CandidateKind.Model ? c with { TrainedBy = "import" } : c).ToList();
        var check = Assert.Single(EvaluationScoring.Summarize(prompts, imported, ["house_style", "reward_model"], "sft_model", "reward_model").RewardHacking);
        Assert.Equal(("policy_model", "sft_model"), (check.Policy, check.Baseline));
        Assert.Empty(EvaluationScoring.Summarize(prompts, imported, ["house_style"], "sft_model", null).RewardHacking);
    }

    [Fact]
    public void Sampled_diversity_is_the_mean_over_prompts_with_an_interval_and_gets_a_column()
    {
        var (prompts, candidates) = SyntheticRun.Candidates(prompts: 4);
        var sampled = candidates.Select(c => c with { Answers = [.. c.Answers.Select((a, i) => a with { SampledDistinct2 = i % 2 == 0 ? 1.0 : 0.5 })] }).ToList();
        var summary = EvaluationScoring.Summarize(prompts, sampled, ["house_style"], "sft_model", null);
        var diversity = summary.Candidates[0].Metrics[MetricNames.SampledDistinct2];
        Assert.Equal(0.75, diversity.Value, 12);
        Assert.True(diversity.HasInterval);
        Assert.Contains("distinct-2 within a prompt", HtmlReportWriter.Write(new RunReport { Title = "t", Evaluation = summary, Prompts = prompts, Candidates = sampled }));
    }

    [Fact]
    public void The_summary_scores_win_rates_against_the_reference_and_the_reference_ties_itself()
    {
        var report = SyntheticRun.Report();
        var rows = report.Evaluation!.Candidates.ToDictionary(c => c.Name);
        Assert.Equal(0.5, rows["sft_model"].Metrics[MetricNames.WinRate].Value, 12);
        Assert.Equal(0.5, rows["sft_model"].Metrics[MetricNames.LengthControlledWinRate].Value, 6);
        Assert.True(rows["base_model"].Metrics[MetricNames.WinRate].Value < 0.2);
        Assert.True(rows["policy_model"].Metrics[MetricNames.Judge("house_style")].Value > rows["sft_model"].Metrics[MetricNames.Judge("house_style")].Value);
        Assert.Contains(MetricNames.Rule("house_style", "greeting"), rows["rag"].Metrics.Keys);
        Assert.True(rows["rag"].Metrics[MetricNames.RougeL].HasInterval);
        Assert.False(rows["rag"].Metrics[MetricNames.Distinct1].HasInterval);
    }

    [Fact]
    public void A_metric_history_file_is_read_per_metric_with_steps()
    {
        using var folder = new TempFolder();
        var path = folder.Write("metrics.jsonl", """
            {"step":1,"objective/kl":0.1,"rewards/house_style":0.5}
            {"step":2,"objective/kl":0.2,"rewards/house_style":0.6,"eval/reward":0.7}
            """);
        var history = MetricHistoryFile.Read(path, "grpo", "x/metrics.jsonl");
        Assert.Equal(["eval/reward", "objective/kl", "rewards/house_style"], history.Series.Select(s => s.Name));
        Assert.Equal([new MetricPoint(2, 0.7)], history.Series[0].Points);
        Assert.Equal([new MetricPoint(1, 0.1), new MetricPoint(2, 0.2)], history.Series[1].Points);
    }
}
