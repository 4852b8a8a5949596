using Pipeline.Configuration;
using Pipeline.Contracts;
using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Configuration;
using Pipeline.Training.FineTuning;
using static TorchSharp.torch;

namespace Pipeline.Training.Tests.FineTuning;

public sealed class FineTuningPoliciesTests
{
    [Fact]
    public void The_yaml_training_block_maps_one_to_one_onto_the_policy()
    {
        var settings = new SftSettings
        {
            Method = FineTuningMethod.Qlora,
            Lora = new LoraSettings { R = 4, Alpha = 8, Dropout = 0.1, TargetModules = ["q_proj", "o_proj"], UseRsLora = true },
        };
        var policy = FineTuningPolicies.For(settings, ModelArchitecture.Llama, ScalarType.Float32, seed: 9);
        Assert.Equal(FineTuningMethod.Qlora, policy.Method);
        Assert.Equal(new LoraConfig { R = 4, Alpha = 8, Dropout = 0.1, TargetModules = policy.Lora.TargetModules, UseRsLora = true }, policy.Lora);
        Assert.Equal(["q_proj", "o_proj"], policy.Lora.TargetModules!);
        Assert.Equal(ScalarType.Float32, policy.QLoraComputeDtype);
        Assert.Equal(9, policy.Seed);

        var freeze = FineTuningPolicies.For(new SftSettings { Method = FineTuningMethod.Freeze, Freeze = new FreezeSettings { Layers = [0, 1], Embeddings = false } },
            ModelArchitecture.Llama, ScalarType.Float32, 0);
        Assert.Equal([0, 1], freeze.Freeze.Layers);
        Assert.False(freeze.Freeze.Embeddings);
        Assert.Equal(7, FineTuningPolicies.For(new SftSettings { Method = FineTuningMethod.PromptTuning, PromptTuning = new PromptTuningSettings { VirtualTokens = 7 } },
            ModelArchitecture.Llama, ScalarType.Float32, 0).PromptTuning.NumVirtualTokens);
    }

    [Fact]
    public void On_gpt2_the_default_llama_targets_stand_for_pefts_gpt2_default()
    {
        var policy = FineTuningPolicies.For(new SftSettings { Method = FineTuningMethod.Lora }, ModelArchitecture.Gpt2, ScalarType.Float32, 0);
        Assert.Null(policy.Lora.TargetModules);
        Assert.Equal(["c_attn"], policy.Lora.TargetsFor(ModelArchitecture.Gpt2));
        var explicitTargets = FineTuningPolicies.For(new SftSettings { Method = FineTuningMethod.Lora, Lora = new LoraSettings { TargetModules = ["c_proj"] } },
            ModelArchitecture.Gpt2, ScalarType.Float32, 0);
        Assert.Equal(["c_proj"], explicitTargets.Lora.TargetModules!);
    }
}
