using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;
using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Adapters.Bottleneck;
using Pipeline.Modeling.Adapters.Lora;
using Pipeline.Modeling.Adapters.PTuning;
using Pipeline.Modeling.Adapters.PrefixTuning;
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

    [Fact]
    public void The_peft_method_blocks_map_onto_their_configs()
    {
        var settings = new SftSettings
        {
            PrefixTuning = new PrefixTuningSettings { VirtualTokens = 9, PrefixProjection = false, EncoderHiddenSize = 24 },
            PTuning = new PTuningSettings { VirtualTokens = 5, Encoder = PromptEncoderType.Lstm, EncoderHiddenSize = 12, EncoderNumLayers = 1, EncoderDropout = 0.2 },
            Bottleneck = new BottleneckSettings { ReductionFactor = 8, Placement = BottleneckPlacement.Pfeiffer, NonLinearity = "gelu" },
            LnTuning = new LnTuningSettings { TargetModules = ["norm"] },
            Ia3 = new Ia3Settings { TargetModules = ["v_proj", "down_proj"], FeedforwardModules = ["down_proj"] },
        };
        var policy = FineTuningPolicies.For(settings, ModelArchitecture.Llama, ScalarType.Float32, 0);
        Assert.Equal(new PrefixTuningConfig { NumVirtualTokens = 9, PrefixProjection = false, EncoderHiddenSize = 24 }, policy.PrefixTuning);
        Assert.Equal(new PTuningConfig { NumVirtualTokens = 5, EncoderType = PromptEncoderType.Lstm, EncoderHiddenSize = 12, EncoderNumLayers = 1, EncoderDropout = 0.2 }, policy.PTuning);
        Assert.Equal(new BottleneckConfig { ReductionFactor = 8, Placement = BottleneckPlacement.Pfeiffer, NonLinearity = "gelu" }, policy.Bottleneck);
        Assert.Equal(["norm"], policy.LnTuning.TargetModules!);
        Assert.Equal(["v_proj", "down_proj"], policy.Ia3.TargetModules!);
        Assert.Equal(["down_proj"], policy.Ia3.FeedforwardModules!);

        // Empty lists stand for PEFT's defaults for the architecture.
        var defaults = FineTuningPolicies.For(new SftSettings(), ModelArchitecture.Gpt2, ScalarType.Float32, 0);
        Assert.Equal(["c_attn", "mlp.c_proj"], defaults.Ia3.TargetsFor(ModelArchitecture.Gpt2));
        Assert.Equal(["ln_1", "ln_2", "ln_f"], defaults.LnTuning.TargetsFor(ModelArchitecture.Gpt2));
    }
}
