using static Pipeline.Configuration.Tests.ConfigAssert;

namespace Pipeline.Configuration.Tests;

/// <summary>Rules that span several keys of one section.</summary>
public sealed class CrossFieldRuleTests
{
    [Fact]
    public void Bands_must_divide_permutations()
    {
        Assert.Equal(
            "quickstart.yaml:4:43: stages.ingest.near_duplicates.bands: 128 permutations cannot be cut into 12 bands of equal rows; bands must divide permutations (1, 2, 4, 8, 16, 32, 64, 128)",
            Error("""
                stages:
                  ingest:
                    inputs: [{ path: data/a.jsonl }]
                    near_duplicates: { permutations: 128, bands: 12 }
                """));
    }

    [Fact]
    public void Permutations_that_the_default_bands_do_not_divide_are_reported_at_permutations()
    {
        Assert.Equal(
            "quickstart.yaml:4:24: stages.ingest.near_duplicates.permutations: 100 permutations cannot be cut into 16 bands of equal rows; bands must divide permutations (1, 2, 4, 5, 10, 20, 25, 50, 100)",
            Error("""
                stages:
                  ingest:
                    inputs: [{ path: data/a.jsonl }]
                    near_duplicates: { permutations: 100 }
                """));
    }

    [Fact]
    public void Method_blocks_need_their_method()
    {
        var errors = Errors($$"""
            {{AllInputs}}
            stages:
              sft:
                lora: { r: 16 }
              dpo:
                method: lora
                freeze: { layers: [0] }
                prompt_tuning: { virtual_tokens: 4 }
            """);

        Assert.Equal(
        [
            "quickstart.yaml:8:5: stages.sft.lora: only used when method is lora or qlora, but method is full; set method: lora or remove this block",
            "quickstart.yaml:11:5: stages.dpo.freeze: only used when method is freeze, but method is lora; set method: freeze or remove this block",
            "quickstart.yaml:12:5: stages.dpo.prompt_tuning: only used when method is prompt_tuning, but method is lora; set method: prompt_tuning or remove this block",
        ], errors);
    }

    [Fact]
    public void Packing_with_prompt_tuning_is_refused()
    {
        var errors = Errors($$"""
            {{AllInputs}}
            stages:
              sft:
                method: prompt_tuning
                packing: true
            """);

        Assert.Equal(
        [
            "quickstart.yaml:9:5: stages.sft.packing: cannot be combined with method prompt_tuning: the virtual tokens or prefix are visible to one "
                + "example per row, so only the first packed conversation would see them; set packing: false or choose another method",
        ], errors);
    }

    [Fact]
    public void Methods_a_stage_cannot_use_are_refused_with_the_reason_and_the_allowed_methods()
    {
        var errors = Errors($$"""
            {{AllInputs}}
            stages:
              reward_model: { method: bottleneck }
              dpo: { method: prefix_tuning }
              grpo: { method: p_tuning }
            """);

        Assert.Equal(
        [
            "quickstart.yaml:7:19: stages.reward_model.method: bottleneck is not supported for reward models: the reward model is saved as one plain "
                + "classifier with its adapter merged into the body, and bottleneck adapters (new non-linear modules) cannot be merged; "
                + "allowed: full, lora, qlora, freeze, bitfit, ln_tuning, ia3",
            "quickstart.yaml:8:10: stages.dpo.method: prefix_tuning is not supported for alignment: the reference policy would be the model without its "
                + "virtual tokens or prefix, so the KL term would measure the prompt itself; allowed: full, lora, qlora, freeze, bitfit, bottleneck, ln_tuning, ia3",
            "quickstart.yaml:9:11: stages.grpo.method: p_tuning is not supported for alignment: the reference policy would be the model without its "
                + "virtual tokens or prefix, so the KL term would measure the prompt itself; allowed: full, lora, qlora, freeze, bitfit, bottleneck, ln_tuning, ia3",
        ], errors);
    }

    private const Pipeline.Contracts.FineTuningMethod BottleneckMethod = Pipeline.Contracts.FineTuningMethod.Bottleneck;

    [Fact]
    public void An_sft_adapter_that_cannot_merge_is_refused_when_later_stages_need_the_sft_model()
    {
        var errors = Errors($$"""
            {{AllInputs}}
            stages:
              sft: { method: prefix_tuning }
              dpo: {}
            """);

        Assert.Equal(["quickstart.yaml:7:10: stages.sft.method: prefix_tuning trains an additive adapter that cannot be merged into a model, but dpo start "
            + "from the SFT model; use a method that merges (full, lora, qlora, freeze, bitfit, ln_tuning, ia3) or run sft without later stages "
            + "(its output is then the adapter folder)"], errors);
        // Alone, sft's output is the adapter folder.
        Assert.Equal(BottleneckMethod, RunConfigLoader.Parse($$"""
            {{AllInputs}}
            stages:
              sft: { method: bottleneck }
            """, Source).Stages.Sft!.Method);
    }

    [Fact]
    public void A_method_block_for_another_method_is_refused()
    {
        var errors = Errors($$"""
            {{AllInputs}}
            stages:
              sft:
                method: ia3
                bottleneck: { reduction_factor: 8 }
            """);

        Assert.Equal(["quickstart.yaml:9:5: stages.sft.bottleneck: only used when method is bottleneck, but method is ia3; set method: bottleneck or remove this block"], errors);
    }

    [Fact]
    public void Freeze_that_freezes_nothing_is_refused()
    {
        Assert.Equal(
            "quickstart.yaml:9:5: stages.sft.freeze: freezes nothing (no layers, embeddings: false), which is full fine-tuning; list freeze.layers or use method: full",
            Error($$"""
                {{AllInputs}}
                stages:
                  sft:
                    method: freeze
                    freeze: { embeddings: false }
                """));
    }

    [Fact]
    public void Names_and_name_policy_need_name_redaction()
    {
        Assert.Equal(
            "quickstart.yaml:4:28: stages.ingest.pii.names: only used when types includes name; add name to types or remove names",
            Error("""
                stages:
                  ingest:
                    inputs: [{ path: data/a.jsonl }]
                    pii: { types: [email], names: [Anna] }
                """));
        Assert.Equal(
            "quickstart.yaml:4:28: stages.ingest.pii.name_policy: only used when types includes name; add name to types or remove name_policy",
            Error("""
                stages:
                  ingest:
                    inputs: [{ path: data/a.jsonl }]
                    pii: { types: [email], name_policy: surrogate }
                """));
    }


    [Fact]
    public void A_list_item_written_twice_is_reported_at_the_repeat()
    {
        Assert.Equal(
            "quickstart.yaml:4:31: stages.ingest.pii.types[2]: 'email' is already listed at stages.ingest.pii.types[0]",
            Error("""
                stages:
                  ingest:
                    inputs: [{ path: data/a.jsonl }]
                    pii: { types: [email, ip, email] }
                """));
    }

    [Fact]
    public void Min_tokens_above_max_tokens_would_drop_everything()
    {
        Assert.Equal(
            "quickstart.yaml:4:16: stages.ingest.quality.min_tokens: min_tokens (50) is larger than max_tokens (10); every row would be dropped",
            Error("""
                stages:
                  ingest:
                    inputs: [{ path: data/a.jsonl }]
                    quality: { min_tokens: 50, max_tokens: 10 }
                """));
    }

    [Fact]
    public void Label_smoothing_only_applies_to_the_sigmoid_loss()
    {
        Assert.Equal(
            "quickstart.yaml:7:23: stages.dpo.label_smoothing: only applies to loss sigmoid, but loss is hinge; set it to 0 or use loss: sigmoid",
            Error($$"""
                {{AllInputs}}
                stages:
                  dpo: { loss: hinge, label_smoothing: 0.1 }
                """));
    }

    [Fact]
    public void Ppo_batches_must_split_evenly_and_unused_keys_are_refused()
    {
        var errors = Errors($$"""
            {{AllInputs}}
            stages:
              ppo:
                rollout_batch_size: 16
                mini_batch_size: 6
                gradient_accumulation_steps: 2
                target_kl: 3
            """);

        Assert.Equal(
        [
            "quickstart.yaml:9:5: stages.ppo.mini_batch_size: must divide rollout_batch_size (16) so each rollout splits into whole mini-batches, but it is 6",
            "quickstart.yaml:10:5: stages.ppo.gradient_accumulation_steps: not used by ppo: each mini-batch of mini_batch_size sequences is one optimizer step, run in micro-batches of batch_size; remove this key",
            "quickstart.yaml:11:5: stages.ppo.target_kl: only used when adaptive_kl is true; set adaptive_kl: true or remove this key",
        ], errors);
    }

    [Fact]
    public void Ppo_micro_batch_must_divide_the_mini_batch()
    {
        Assert.Equal(
            "quickstart.yaml:7:30: stages.ppo.batch_size: must divide mini_batch_size (8) so each mini-batch splits into whole micro-batches, but it is 3",
            Error($$"""
                {{AllInputs}}
                stages:
                  ppo: { mini_batch_size: 8, batch_size: 3 }
                """));
    }

    [Fact]
    public void Zero_steps_and_early_stopping_without_evaluation_are_refused()
    {
        var errors = Errors($$"""
            {{AllInputs}}
            stages:
              sft:
                max_steps: 0
                early_stopping_patience: 2
                eval_every: 0
            """);

        Assert.Equal(
        [
            "quickstart.yaml:8:5: stages.sft.max_steps: 0 would train nothing; use -1 to train for the given epochs, or a positive number of steps",
            "quickstart.yaml:9:5: stages.sft.early_stopping_patience: needs evaluations during training, but eval_every is 0; set eval_every to a number of steps",
        ], errors);
    }

    [Fact]
    public void Target_modules_accept_all_linear_alone_and_module_names()
    {
        var errors = Errors($$"""
            {{AllInputs}}
            stages:
              sft:
                method: lora
                lora: { target_modules: [all-linear, q_proj] }
              reward_model:
                method: lora
                lora: { target_modules: q_proj }
              dpo:
                method: qlora
                lora: { target_modules: [q proj] }
            """);

        Assert.Equal(
        [
            "quickstart.yaml:9:13: stages.sft.lora.target_modules: all-linear already selects every linear layer; write it alone, not in a list with other modules",
            "quickstart.yaml:12:29: stages.reward_model.lora.target_modules: expected a list (e.g. [a, b]) or 'all-linear', found 'q_proj'",
            "quickstart.yaml:15:30: stages.dpo.lora.target_modules[0]: 'q proj' is not allowed; use a module name such as q_proj, or all-linear",
        ], errors);
    }

    [Fact]
    public void Artifact_references_are_checked()
    {
        Assert.Equal(
        [
            "quickstart.yaml:2:3: inputs.base_model: 'artifact:runs/../x' is not a valid artifact reference: an artifact id may not contain empty, '.' or '..' segments",
            "quickstart.yaml:3:3: inputs.dataset: 'artifact:imports/abc#' is not a valid artifact reference: the file name after '#' must be a plain file name",
            "quickstart.yaml:4:3: inputs.preferences: 'artifact:' is not a valid artifact reference: the artifact id after 'artifact:' is empty",
            "quickstart.yaml:5:3: inputs.sft_model: must not be empty; give artifact:<id> or a local path",
        ], Errors("""
            inputs:
              base_model: artifact:runs/../x
              dataset: "artifact:imports/abc#"
              preferences: "artifact:"
              sft_model: ""
            stages:
              sft: {}
            """));
    }

    [Fact]
    public void Artifact_references_may_name_one_file_and_local_paths_pass_through()
    {
        var config = RunConfigLoader.Parse("""
            inputs:
              base_model: ../models/my base
              dataset: "artifact:imports/7f3c#support tickets.jsonl"
            stages:
              sft: {}
            """);

        Assert.Equal(("../models/my base", "artifact:imports/7f3c#support tickets.jsonl"), (config.Inputs.BaseModel, config.Inputs.Dataset));
    }
}
