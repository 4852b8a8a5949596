using Pipeline.Contracts;
using Pipeline.Data;
using Pipeline.Evaluation.Prompts;
using Pipeline.Evaluation.Report;
using Pipeline.Evaluation.Results;
using Pipeline.Tokenizers.ChatTemplates;

namespace Pipeline.Evaluation.Tests.Report;

/// <summary>A quickstart-sized report made without models: 64 prompts, six candidates, two judges with rules, a GRPO history of 30 steps.</summary>
internal static class SyntheticRun
{
    public static readonly string[] CandidateNames = ["base_model", "sft_model", "policy_model", "system_prompt", "few_shot", "rag"];
    private static readonly string[] RuleNames = ["greeting", "brevity", "routing", "intent", "contact_details", "sign_off", "shouting", "politeness"];

    public static (IReadOnlyList<EvaluationPrompt> Prompts, IReadOnlyList<CandidateAnswers> Candidates) Candidates(int prompts = 64, double policyRewardModelBoost = 0.4, double policyJudgeBoost = 0.15)
    {
        var random = new Random(1);
        var promptList = Enumerable.Range(1, prompts).Select(i => new EvaluationPrompt($"eval-{i:D3}",
            [ChatMessage.FromSystem("You are the support assistant."), ChatMessage.FromUser($"Question {i}: where is my parcel <{i}> & why?")],
            $"Hi there, your parcel {i} is on its way.\n— Support Team", new Dictionary<string, string> { ["intent"] = "late_delivery" })).ToList();
        var quality = new Dictionary<string, double> { ["base_model"] = 0.2, ["sft_model"] = 0.6, ["policy_model"] = 0.6 + policyJudgeBoost, ["system_prompt"] = 0.25, ["few_shot"] = 0.35, ["rag"] = 0.4 };
        var trainedBy = new Dictionary<string, string?> { ["base_model"] = "pretrain", ["sft_model"] = "sft", ["policy_model"] = "grpo" };
        var candidates = CandidateNames.Select(name => new CandidateAnswers
        {
            Name = name,
            Kind = trainedBy.ContainsKey(name) ? CandidateKind.Model : CandidateKind.Baseline,
            Description = $"synthetic {name}",
            Model = $"runs/x/{name}/model",
            TrainedBy = trainedBy.GetValueOrDefault(name),
            Answers = promptList.Select((p, i) =>
            {
                var judge = Math.Clamp(quality[name] + (random.NextDouble() - 0.5) * 0.3, 0, 1);
                var rm = judge * 2 - 1 + (name == "policy_model" ? policyRewardModelBoost : 0) + (random.NextDouble() - 0.5) * 0.2;
                var tokens = 10 + random.Next(30);
                return new Answer
                {
                    PromptId = p.Id,
                    Text = i % 7 == 0 ? "Hi there, your parcel is on its way.\n— Support Team" : $"Hello <b>{name}</b> reply {i} & more words here",
                    Tokens = tokens,
                    HitTokenLimit = tokens > 36,
                    Scores = new Dictionary<string, double> { ["house_style"] = judge, ["reward_model"] = rm },
                    Rules = RuleNames.ToDictionary(r => $"house_style/{r}", r => random.NextDouble() < quality[name] + 0.2),
                };
            }).ToList(),
        }).ToList();
        return (promptList, candidates);
    }

    public static RunReport Report()
    {
        var (prompts, candidates) = Candidates();
        var summary = EvaluationScoring.Summarize(prompts, candidates, ["house_style", "reward_model"], "sft_model", "reward_model");
        string[] metrics = ["objective/kl", "objective/scores", "rewards/reward_model", "loss/policy", "completions/mean_length", "timing/rollout", "train/learning_rate"];
        var history = new StageHistory("grpo", "runs/x/grpo/model/metrics.jsonl",
            [.. metrics.Select((m, k) => new MetricSeries(m, [.. Enumerable.Range(1, 30).Select(s => new MetricPoint(s, Math.Sin(s / 5.0 + k) + k))])),
             new MetricSeries("eval/reward", [new MetricPoint(10, 0.5), new MetricPoint(20, 0.55), new MetricPoint(30, 0.6)]),
             new MetricSeries("eval/reward_start", [new MetricPoint(1, 0.45)])]);
        return new RunReport
        {
            Title = "Evaluation report",
            RunId = Guid.Parse("0123456789abcdef0123456789abcdef"),
            Settings = ["64 held-out prompts", "greedy decoding for every candidate"],
            Lineage =
            [
                new LineageArtifact("runs/x/pretrain/model", ArtifactKind.Model, "pretrain", DateTimeOffset.UnixEpoch, "abc", [], [new LineageFile("model.safetensors", 12_345_678, new string('a', 64))]),
                new LineageArtifact("runs/x/sft/model", ArtifactKind.Model, "sft", DateTimeOffset.UnixEpoch.AddMinutes(1), "def", ["runs/x/pretrain/model"], [new LineageFile("model.safetensors", 12_345_678, new string('b', 64))]),
            ],
            DataCard = new DataCardSummary("runs/x/ingest/dataset", [new("rows_read", "3004"), new("train_rows", "2700")], "# Data card\n\n3004 rows <read>."),
            Histories = [history],
            Evaluation = summary,
            Prompts = prompts,
            Candidates = candidates,
        };
    }
}
