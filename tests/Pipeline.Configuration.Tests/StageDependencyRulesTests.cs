using Pipeline.Contracts;
using static Pipeline.Configuration.Tests.ConfigAssert;

namespace Pipeline.Configuration.Tests;

/// <summary>Each enabled stage must get the artifacts it needs from an earlier stage or from inputs.</summary>
public sealed class StageDependencyRulesTests
{
    [Fact]
    public void Ppo_needs_a_reward_model()
    {
        Assert.Equal(
            "quickstart.yaml:4:3: stages.ppo: needs a reward model; add the reward_model stage, or set inputs.reward_model",
            Error("""
                inputs: { base_model: artifact:runs/base/model, dataset: artifact:runs/d/ds }
                stages:
                  sft: {}
                  ppo: {}
                """));
    }

    [Fact]
    public void Ppo_takes_its_reward_model_from_inputs_or_from_the_stage_whatever_the_key_order()
    {
        var fromInputs = RunConfigLoader.Parse("""
            inputs: { base_model: models/base, dataset: data/ds, reward_model: artifact:runs/rm/model }
            stages: { ppo: {} }
            """);
        Assert.Equal([StageNames.Ppo], fromInputs.EnabledStages);

        var fromStage = RunConfigLoader.Parse("""
            inputs: { base_model: models/base, dataset: data/ds, preferences: data/prefs }
            stages:
              ppo: {}
              reward_model: {}
              sft: {}
            """);
        Assert.Equal([StageNames.Sft, StageNames.RewardModel, StageNames.Ppo], fromStage.EnabledStages);
    }

    [Fact]
    public void Sft_alone_needs_a_dataset_and_a_model()
    {
        Assert.Equal(
        [
            "quickstart.yaml:2:3: stages.sft: needs a dataset; add the ingest stage, or add the synthesize stage, or set inputs.dataset",
            "quickstart.yaml:2:3: stages.sft: needs a model to fine-tune; add the pretrain stage, or set inputs.base_model or inputs.sft_model",
        ], Errors("""
            stages:
              sft: {}
            """));
    }

    [Fact]
    public void Dpo_needs_preference_pairs()
    {
        Assert.Equal(
            "quickstart.yaml:4:3: stages.dpo: needs preference pairs; add an ingest input with format: preference, or add the feedback stage (with a judge other than human), or set inputs.preferences",
            Error("""
                inputs: { base_model: models/base }
                stages:
                  ingest: { inputs: [{ path: a.jsonl, format: alpaca }] }
                  dpo: {}
                """));
    }

    [Fact]
    public void Preference_pairs_can_come_from_ingest()
    {
        var fromIngest = RunConfigLoader.Parse("""
            inputs: { base_model: models/base }
            stages:
              ingest: { inputs: [{ path: a.jsonl, format: alpaca }, { path: p.jsonl, format: preference }] }
              dpo: {}
            """);
        Assert.Equal([StageNames.Ingest, StageNames.Dpo], fromIngest.EnabledStages);
    }

    [Fact]
    public void Synthesis_needs_a_model_only_where_one_writes_in_process()
    {
        Assert.Equal(
            "quickstart.yaml:3:3: stages.synthesize: needs a model to generate with; add the pretrain stage, or set inputs.sft_model or inputs.base_model, or set stages.synthesize.generator to an OpenAI-compatible endpoint",
            Error("""
                inputs: { dataset: data/ds }
                stages:
                  synthesize: {}
                """));
        Assert.Equal(
            "quickstart.yaml:3:17: stages.synthesize.replies: needs a model to answer the new messages (replies: policy); add the pretrain stage, or set inputs.sft_model or inputs.base_model, or use replies: review or mode: full",
            Error("""
                inputs: { dataset: data/ds }
                stages:
                  synthesize: { replies: policy, generator: { url: "http://127.0.0.1:8000/v1", model: m } }
                """));
        var endpointOnly = RunConfigLoader.Parse("""
            inputs: { dataset: data/ds }
            stages:
              synthesize: { mode: full, generator: { url: "http://127.0.0.1:8000/v1", model: m } }
            """);
        Assert.Equal([StageNames.Synthesize], endpointOnly.EnabledStages);
    }

    [Fact]
    public void Synthesis_limits_out_of_range_are_named_with_what_is_allowed()
    {
        var errors = Errors("""
            inputs: { dataset: data/ds, base_model: models/base }
            stages:
              synthesize: { examples_per_prompt: 0, new_examples: 0, max_synthetic_share: 0, generator: { url: "ftp://x", model: m, max_concurrency: 0 } }
            """);
        Assert.Contains(errors, e => e.Contains("stages.synthesize.examples_per_prompt") && e.Contains("1"));
        Assert.Contains(errors, e => e.Contains("stages.synthesize.new_examples"));
        Assert.Contains(errors, e => e.Contains("stages.synthesize.max_synthetic_share"));
        Assert.Contains(errors, e => e.Contains("stages.synthesize.generator.url") && e.Contains("http://"));
        Assert.Contains(errors, e => e.Contains("stages.synthesize.generator.max_concurrency"));
    }

    [Fact]
    public void Evaluate_needs_prompts_and_a_model()
    {
        Assert.Equal(
        [
            "quickstart.yaml:1:11: stages.evaluate: needs held-out prompts (a dataset, or set prompts: to a JSONL file); add the ingest stage, or add the synthesize stage, or set inputs.dataset",
            "quickstart.yaml:1:11: stages.evaluate: needs a model to evaluate; add the pretrain stage, or add the sft stage, or add the ppo stage, or add the grpo stage, or add the dpo stage, or set inputs.policy_model or inputs.sft_model or inputs.base_model",
            "quickstart.yaml:1:11: stages.evaluate.baseline_model: needs the model the baselines prompt (base_model); add the pretrain stage, or set inputs.base_model, or set baselines: [] to evaluate no baseline",
        ], Errors("stages: { evaluate: {} }"));
    }

    [Fact]
    public void Evaluate_with_a_prompt_file_and_no_baselines_needs_no_dataset()
    {
        Assert.Equal(
        [
            "quickstart.yaml:1:11: stages.evaluate: needs a model to evaluate; add the pretrain stage, or add the sft stage, or add the ppo stage, or add the grpo stage, or add the dpo stage, or set inputs.policy_model or inputs.sft_model or inputs.base_model",
        ], Errors("stages: { evaluate: { prompts: p.jsonl, baselines: [] } }"));
        Assert.Equal(
        [
            "quickstart.yaml:1:41: stages.evaluate.baselines: needs training examples for the few_shot and rag baselines (a dataset); add the ingest stage, or add the synthesize stage, or set inputs.dataset, or remove few_shot and rag from baselines",
        ], Errors("""
            stages: { evaluate: { prompts: p.jsonl, baselines: [rag], models: [{ name: m, path: m }] } }
            inputs: { base_model: models/base }
            """));
    }

    [Fact]
    public void An_explicit_comparison_must_name_a_model_the_run_has()
    {
        Assert.Equal(
            "quickstart.yaml:4:30: stages.evaluate.compare_to[1]: 'sft_model' is not available in this run; add the sft stage, or set inputs.sft_model",
            Error("""
                inputs: { base_model: models/base, dataset: data/ds }
                stages:
                  evaluate:
                    compare_to: [base_model, sft_model]
                """));
    }

    [Fact]
    public void The_default_comparison_does_not_require_an_sft_model()
    {
        var config = RunConfigLoader.Parse("""
            inputs: { base_model: models/base, dataset: data/ds }
            stages: { evaluate: {} }
            """);
        Assert.Equal([StageNames.Evaluate], config.EnabledStages);
    }

    [Fact]
    public void A_misspelt_stage_is_reported_alone_rather_than_as_missing_artifacts()
    {
        Assert.Equal(
            "quickstart.yaml:2:3: stages.sfft: unknown key. Did you mean 'sft'? Allowed keys: pretrain, ingest, synthesize, sft, feedback, reward_model, ppo, grpo, dpo, evaluate",
            Error("""
                stages:
                  sfft: {}
                  ppo: {}
                """));
    }
}
