using Pipeline.Configuration.Feedback;

using static Pipeline.Configuration.Tests.ConfigAssert;

namespace Pipeline.Configuration.Tests;

/// <summary>The feedback stage's judges: llm (with llm_judge) and human.</summary>
public sealed class FeedbackJudgeSettingsTests
{
    [Fact]
    public void An_llm_judge_with_an_endpoint_binds_every_key()
    {
        var config = RunConfigLoader.Parse($$"""
            {{AllInputs}}
            stages:
              feedback:
                judge: llm
                llm_judge:
                  endpoint: { url: "http://127.0.0.1:8000/v1", model: judge-7b, max_retries: 1, api_key_env: JUDGE_KEY }
                  mode: score
                  system_prompt: You grade replies.
                  template: "Rate {reply} to {conversation} from 1 to 10."
                  max_attempts: 2
            """, Source);
        var judge = config.Stages.Feedback!.LlmJudge!;
        Assert.Equal("llm", config.Stages.Feedback.Judge);
        Assert.Equal((LlmJudgeMode.Score, 2, "You grade replies."), (judge.Mode, judge.MaxAttempts, judge.SystemPrompt));
        Assert.Equal(("http://127.0.0.1:8000/v1", "judge-7b", 1, "JUDGE_KEY"), (judge.Endpoint!.Url, judge.Endpoint.Model, judge.Endpoint.MaxRetries, judge.Endpoint.ApiKeyEnv));
    }

    [Fact]
    public void Without_llm_judge_the_llm_judge_is_pairwise_over_the_runs_own_model()
    {
        var config = RunConfigLoader.Parse($$"""
            {{AllInputs}}
            stages:
              feedback: { judge: llm }
            """, Source);
        var judge = config.Stages.Feedback!.LlmJudgeOrDefault;
        Assert.Equal((LlmJudgeMode.Pairwise, 3, null, null, null), (judge.Mode, judge.MaxAttempts, judge.Endpoint, judge.Template, judge.SystemPrompt));
    }

    [Fact]
    public void A_bad_mode_names_the_key_and_the_allowed_values()
    {
        Assert.Equal("quickstart.yaml:10:13: stages.feedback.llm_judge.mode: 'pairs' is not one of pairwise, score.", Error($$"""
            {{AllInputs}}
            stages:
              feedback:
                judge: llm
                llm_judge:
                  mode: pairs
            """));
    }

    [Fact]
    public void An_endpoint_needs_its_url_and_model_and_a_judge_at_least_one_attempt()
    {
        Assert.Equal(
        [
            "quickstart.yaml:9:28: stages.feedback.llm_judge.endpoint.url: required key is missing; the endpoint's base address, e.g. http://127.0.0.1:8000/v1",
            "quickstart.yaml:9:37: stages.feedback.llm_judge.endpoint.model: must not be empty",
            "quickstart.yaml:9:57: stages.feedback.llm_judge.max_attempts: 0 is out of range; allowed: [1, 20]",
        ], Errors($$"""
            {{AllInputs}}
            stages:
              feedback:
                judge: llm
                llm_judge: { endpoint: { model: "" }, max_attempts: 0 }
            """));
    }

    [Fact]
    public void A_template_without_the_modes_placeholders_is_refused()
    {
        Assert.Equal("quickstart.yaml:9:18: stages.feedback.llm_judge.template: has no {reply_b}, so the judge would never see the replies; " +
                     "pairwise mode places them with {reply_a} and {reply_b} (and the prompt with {conversation})", Error($$"""
            {{AllInputs}}
            stages:
              feedback:
                judge: llm
                llm_judge: { template: "Is {reply_a} good?" }
            """));
    }

    [Fact]
    public void Llm_judge_settings_need_judge_llm_and_a_pairwise_judge_has_no_margin()
    {
        Assert.Equal(
        [
            "quickstart.yaml:8:5: stages.feedback.llm_judge: only used when judge is llm, but judge is house_style; set judge: llm or remove this block",
        ], Errors($$"""
            {{AllInputs}}
            stages:
              feedback:
                llm_judge: { mode: score }
            """));
        Assert.Equal("quickstart.yaml:9:5: stages.feedback.min_margin: has no meaning for a pairwise judge, whose verdict is a preference without a size; " +
                     "remove it or use llm_judge.mode: score", Error($$"""
            {{AllInputs}}
            stages:
              feedback:
                judge: llm
                min_margin: 0.5
            """));
    }

    [Fact]
    public void Human_raters_make_no_pairs_in_the_run_so_a_reward_model_after_them_needs_inputs_preferences()
    {
        Assert.Equal("quickstart.yaml:6:3: stages.reward_model: needs preference pairs; add an ingest input with format: preference, " +
                     "or add the feedback stage (with a judge other than human), or set inputs.preferences",
            Error("""
                inputs: { base_model: artifact:runs/base/model }
                stages:
                  ingest: { inputs: [{ path: data/a.jsonl, format: openai }] }
                  sft: {}
                  feedback: { judge: human }
                  reward_model: {}
                """));
    }
}
