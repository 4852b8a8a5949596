using Pipeline.Configuration;
using Pipeline.Configuration.Evaluation;
using Pipeline.Evaluation.Planning;
using Pipeline.Evaluation.Prompts;
using Pipeline.Evaluation.Results;

namespace Pipeline.Evaluation.Tests.Prompts;

public sealed class EvaluationPlanTests
{
    private static readonly string[] QuickstartRoles = ["dataset", "preferences", "base_model", "sft_model", "reward_model", "policy_model"];
    private static readonly string[] Judges = ["reward_model", "house_style"];

    [Fact]
    public void The_quickstart_evaluates_its_three_models_and_three_baselines_against_sft()
    {
        var plan = EvaluationPlan.Create(new EvaluationSettings(), QuickstartRoles, Judges);
        Assert.Equal(["base_model", "sft_model", "policy_model", "system_prompt", "few_shot", "rag"], plan.Candidates.Select(c => c.Name));
        Assert.Equal([CandidateKind.Model, CandidateKind.Model, CandidateKind.Model, CandidateKind.Baseline, CandidateKind.Baseline, CandidateKind.Baseline],
            plan.Candidates.Select(c => c.Kind));
        Assert.All(plan.Candidates.Where(c => c.Kind == CandidateKind.Baseline), c => Assert.Equal("base_model", c.ModelRole));
        // Rule functions first (the primary judge decides wins), the learned reward model last.
        Assert.Equal(["house_style", "reward_model"], plan.Judges);
        Assert.Equal("sft_model", plan.Reference);
    }

    [Fact]
    public void A_judge_that_does_not_exist_is_named_with_what_exists()
    {
        var error = Assert.Throws<EvaluationInputException>(() =>
            EvaluationPlan.Create(new EvaluationSettings { Judges = ["house_stlye"] }, QuickstartRoles, Judges));
        Assert.Contains("stages.evaluate.judges[0]: 'house_stlye' is not a judge; available: reward_model, house_style (did you mean 'house_style'?)", error.Message);
    }

    [Fact]
    public void The_reward_model_as_judge_needs_a_reward_model()
    {
        var error = Assert.Throws<EvaluationInputException>(() =>
            EvaluationPlan.Create(new EvaluationSettings { Judges = ["reward_model"] }, ["dataset", "base_model"], ["house_style"]));
        Assert.Contains("stages.evaluate.judges[0]: 'reward_model' is not a judge", error.Message);
        Assert.Contains("needs the reward_model stage or inputs.reward_model", error.Message);
    }

    [Fact]
    public void A_reference_that_is_not_a_candidate_is_an_error_listing_the_candidates()
    {
        var error = Assert.Throws<EvaluationInputException>(() =>
            EvaluationPlan.Create(new EvaluationSettings { Reference = "policy_model" }, ["dataset", "base_model", "sft_model"], Judges));
        Assert.Contains("stages.evaluate.reference: 'policy_model' is not among the candidates of this run (base_model, sft_model, system_prompt, few_shot, rag)", error.Message);
    }

    [Fact]
    public void Baselines_need_their_model()
    {
        var error = Assert.Throws<EvaluationInputException>(() =>
            EvaluationPlan.Create(new EvaluationSettings { BaselineModel = ModelRole.SftModel }, ["dataset", "base_model"], Judges));
        Assert.Contains("stages.evaluate.baseline_model: 'sft_model' is not available in this run", error.Message);
    }

    [Fact]
    public void Without_sft_the_reference_is_the_first_candidate_and_folders_are_candidates()
    {
        var settings = new EvaluationSettings { Baselines = [], Models = [new EvaluationModel { Name = "mine", Path = "artifact:imports/x" }] };
        var plan = EvaluationPlan.Create(settings, ["dataset", "base_model"], Judges);
        Assert.Equal(["base_model", "mine"], plan.Candidates.Select(c => c.Name));
        Assert.Equal("base_model", plan.Reference);
        Assert.Equal("artifact:imports/x", plan.Candidates[1].ModelReference);
    }

    [Fact]
    public void The_config_catches_a_misspelt_reference_before_the_run_starts()
    {
        var error = Assert.Throws<RunConfigException>(() => RunConfigLoader.Parse("""
            name: t
            inputs: { base_model: "artifact:m", dataset: "artifact:d" }
            stages:
              evaluate:
                reference: sft_modle
            """));
        Assert.Contains("stages.evaluate.reference", error.Message);
        Assert.Contains("did you mean 'sft_model'?", error.Message);
    }

    [Fact]
    public void Diversity_needs_at_least_two_samples_per_prompt()
    {
        var error = Assert.Throws<RunConfigException>(() => RunConfigLoader.Parse("""
            name: t
            inputs: { base_model: "artifact:m", dataset: "artifact:d" }
            stages:
              evaluate: { diversity_samples: 1 }
            """));
        Assert.Contains("stages.evaluate.diversity_samples", error.Message);
        Assert.Contains("must be 0 (off) or at least 2", error.Message);
    }
}
