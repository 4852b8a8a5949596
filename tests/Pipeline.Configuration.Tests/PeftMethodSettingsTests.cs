using Pipeline.Contracts;

namespace Pipeline.Configuration.Tests;

/// <summary>The run config spellings of the PEFT methods and their blocks.</summary>
public sealed class PeftMethodSettingsTests
{
    [Fact]
    public void Every_method_and_its_block_bind_from_yaml()
    {
        var config = RunConfigLoader.Parse("""
            inputs: { base_model: models/base, dataset: data/ds, preferences: data/pairs }
            stages:
              reward_model:
                method: ia3
                ia3: { target_modules: [k_proj, v_proj, down_proj], feedforward_modules: [down_proj] }
              dpo:
                method: ln_tuning
                ln_tuning: { target_modules: [input_layernorm] }
            """, "peft.yaml");

        // P-tuning is additive: sft is the last stage then (later stages start from a merged SFT model).
        var sft = RunConfigLoader.Parse("""
            inputs: { base_model: models/base, dataset: data/ds }
            stages:
              sft:
                method: p_tuning
                p_tuning: { virtual_tokens: 12, encoder: lstm, encoder_hidden_size: 64, encoder_num_layers: 1, encoder_dropout: 0.1 }
            """, "p.yaml").Stages.Sft!;
        Assert.Equal((FineTuningMethod.PTuning, 12, PromptEncoderType.Lstm, (int?)64, 1, 0.1),
            (sft.Method, sft.PTuning.VirtualTokens, sft.PTuning.Encoder, sft.PTuning.EncoderHiddenSize, sft.PTuning.EncoderNumLayers, sft.PTuning.EncoderDropout));
        var rewardModel = config.Stages.RewardModel!;
        Assert.Equal(FineTuningMethod.Ia3, rewardModel.Method);
        Assert.Equal(["k_proj", "v_proj", "down_proj"], rewardModel.Ia3.TargetModules);
        Assert.Equal(["down_proj"], rewardModel.Ia3.FeedforwardModules);
        Assert.Equal((FineTuningMethod.LnTuning, "input_layernorm"), (config.Stages.Dpo!.Method, config.Stages.Dpo.LnTuning.TargetModules.Single()));

        var prefix = RunConfigLoader.Parse("""
            inputs: { base_model: models/base, dataset: data/ds }
            stages:
              sft: { method: prefix_tuning, prefix_tuning: { virtual_tokens: 8, prefix_projection: false } }
            """, "prefix.yaml").Stages.Sft!;
        Assert.Equal((FineTuningMethod.PrefixTuning, 8, false, (int?)null), (prefix.Method, prefix.PrefixTuning.VirtualTokens, prefix.PrefixTuning.PrefixProjection, prefix.PrefixTuning.EncoderHiddenSize));
    }

    [Fact]
    public void A_prefix_of_zero_positions_is_refused_naming_the_key()
    {
        var error = Assert.Throws<RunConfigException>(() => RunConfigLoader.Parse("""
            inputs: { base_model: models/base, dataset: data/ds }
            stages:
              sft: { method: prefix_tuning, prefix_tuning: { virtual_tokens: 0 } }
            """, "prefix.yaml"));
        Assert.Contains("stages.sft.prefix_tuning.virtual_tokens", error.Message);
    }
}
