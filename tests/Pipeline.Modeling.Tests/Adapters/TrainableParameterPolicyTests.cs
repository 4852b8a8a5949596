using Pipeline.Contracts;
using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Adapters.Bottleneck;
using Pipeline.Modeling.Adapters.PTuning;
using Pipeline.Modeling.Adapters.PrefixTuning;
using Pipeline.Modeling.Adapters.PromptTuning;
using Pipeline.Modeling.Adapters.Selective;
using Pipeline.Modeling.Quantization;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Tests.Adapters;

/// <summary>Counts hand-computed on the tiny models of <see cref="TinyModels"/> (vocab 61, hidden 32, 2 layers).</summary>
public sealed class TrainableParameterPolicyTests
{
    // Llama (untied): embed 61·32 = 1,952; per layer q 1,024 + k 512 + v 512 + o 1,024 + gate/up/down 3 × 1,536
    // + 2 norms × 32 = 7,744; final norm 32; lm_head 1,952.
    private const long LlamaLayer = 7_744;
    private const long LlamaTotal = 1_952 + 2 * LlamaLayer + 32 + 1_952;     // 19,424

    // GPT-2 (tied): wte 1,952 + wpe 64·32 = 2,048; per block ln_1 64 + c_attn 32·96 + 96 + c_proj 1,024 + 32 + ln_2 64
    // + c_fc 32·128 + 128 + c_proj 128·32 + 32 = 12,704; ln_f 64.
    private const long Gpt2Total = 1_952 + 2_048 + 2 * 12_704 + 64;          // 29,472

    // LoRA r = 8 on q_proj (A 8·32, B 32·8) and v_proj (A 8·32, B 16·8), 2 layers.
    private const long LlamaLora = 2 * (256 + 256 + 256 + 128);              // 1,792

    private static TrainableSummary Apply(string architecture, TrainableParameterPolicy policy)
    {
        using var model = AdapterTestModels.Create(architecture);
        var adapted = policy.Apply(model);
        Assert.Equal(adapted.Summary, TrainableSummary.Of(adapted.Model));
        return adapted.Summary;
    }

    [Fact]
    public void Full_trains_everything()
    {
        Assert.Equal(new TrainableSummary(LlamaTotal, LlamaTotal), Apply("llama", new TrainableParameterPolicy()));
        Assert.Equal(new TrainableSummary(Gpt2Total, Gpt2Total), Apply("gpt2", new TrainableParameterPolicy()));
    }

    [Fact]
    public void Lora_and_qlora_train_the_adapters_only()
    {
        Assert.Equal(new TrainableSummary(LlamaLora, LlamaTotal + LlamaLora), Apply("llama", new TrainableParameterPolicy { Method = FineTuningMethod.Lora }));
        // NF4 weights are buffers but count with their logical size, as PEFT counts 4-bit weights.
        Assert.Equal(new TrainableSummary(LlamaLora, LlamaTotal + LlamaLora), Apply("llama", new TrainableParameterPolicy { Method = FineTuningMethod.Qlora }));
        // GPT-2 default target c_attn: A 8·32 + B 96·8 per block.
        Assert.Equal(new TrainableSummary(2 * (256 + 768), Gpt2Total + 2 * (256 + 768)), Apply("gpt2", new TrainableParameterPolicy { Method = FineTuningMethod.Lora }));
    }

    [Fact]
    public void Freeze_holds_the_chosen_layers_and_embeddings()
    {
        Assert.Equal(new TrainableSummary(LlamaTotal - LlamaLayer, LlamaTotal),
            Apply("llama", new TrainableParameterPolicy { Method = FineTuningMethod.Freeze, Freeze = new FreezeOptions { Layers = [0] } }));
        Assert.Equal(new TrainableSummary(LlamaTotal - LlamaLayer - 1_952, LlamaTotal),
            Apply("llama", new TrainableParameterPolicy { Method = FineTuningMethod.Freeze, Freeze = new FreezeOptions { Layers = [1], Embeddings = true } }));
        // GPT-2's embeddings are wte and wpe.
        Assert.Equal(new TrainableSummary(Gpt2Total - 1_952 - 2_048, Gpt2Total),
            Apply("gpt2", new TrainableParameterPolicy { Method = FineTuningMethod.Freeze, Freeze = new FreezeOptions { Embeddings = true } }));
    }

    [Fact]
    public void Bitfit_trains_the_biases_only()
    {
        // per block: ln_1 32, c_attn 96, c_proj 32, ln_2 32, c_fc 128, c_proj 32 = 352; ln_f 32
        Assert.Equal(new TrainableSummary(2 * 352 + 32, Gpt2Total), Apply("gpt2", new TrainableParameterPolicy { Method = FineTuningMethod.Bitfit }));
        var error = Assert.Throws<AdapterConfigException>(() => Apply("llama", new TrainableParameterPolicy { Method = FineTuningMethod.Bitfit }));
        Assert.Contains("no bias parameters", error.Message);
    }

    [Fact]
    public void Prompt_tuning_trains_the_virtual_tokens_only()
    {
        var summary = Apply("llama", new TrainableParameterPolicy { Method = FineTuningMethod.PromptTuning, PromptTuning = new PromptTuningConfig { NumVirtualTokens = 4 } });
        Assert.Equal(new TrainableSummary(4 * 32, LlamaTotal + 4 * 32), summary);
    }

    [Fact]
    public void The_other_peft_methods_report_their_own_parameters()
    {
        // prefix_tuning without projection: n 4 × (2 layers · 2 · kv width 16) = 256; with the MLP (hidden 16): embedding 4·16
        // + Linear(16, 16) 272 + Linear(16, 64) 1,088 = 1,424.
        Assert.Equal(new TrainableSummary(256, LlamaTotal + 256), Apply("llama", new TrainableParameterPolicy
            { Method = FineTuningMethod.PrefixTuning, PrefixTuning = new PrefixTuningConfig { NumVirtualTokens = 4, PrefixProjection = false } }));
        Assert.Equal(new TrainableSummary(1_424, LlamaTotal + 1_424), Apply("llama", new TrainableParameterPolicy
            { Method = FineTuningMethod.PrefixTuning, PrefixTuning = new PrefixTuningConfig { NumVirtualTokens = 4 } }));
        // p_tuning (MLP of width 32): embedding 4·32 + 3 × Linear(32, 32) 1,056 = 3,296.
        Assert.Equal(new TrainableSummary(3_296, LlamaTotal + 3_296), Apply("llama", new TrainableParameterPolicy
            { Method = FineTuningMethod.PTuning, PTuning = new PTuningConfig { NumVirtualTokens = 4 } }));
        // bottleneck (reduction 16, width 2): down 32·2 + 2, up 2·32 + 32 = 162 per adapter; Houlsby 2 per layer, Pfeiffer 1.
        Assert.Equal(new TrainableSummary(4 * 162, LlamaTotal + 4 * 162), Apply("llama", new TrainableParameterPolicy { Method = FineTuningMethod.Bottleneck }));
        Assert.Equal(new TrainableSummary(2 * 162, Gpt2Total + 2 * 162), Apply("gpt2", new TrainableParameterPolicy
            { Method = FineTuningMethod.Bottleneck, Bottleneck = new BottleneckConfig { Placement = BottleneckPlacement.Pfeiffer } }));
        // ln_tuning: the tuned copies of 2 norms × 2 layers + the final norm (32 each); GPT-2's have biases too.
        Assert.Equal(new TrainableSummary(160, LlamaTotal + 160), Apply("llama", new TrainableParameterPolicy { Method = FineTuningMethod.LnTuning }));
        Assert.Equal(new TrainableSummary(320, Gpt2Total + 320), Apply("gpt2", new TrainableParameterPolicy { Method = FineTuningMethod.LnTuning }));
        // ia3: k 16 + v 16 + down_proj's input 48 per layer; GPT-2: c_attn 96 + mlp.c_proj's input 128 per block.
        Assert.Equal(new TrainableSummary(160, LlamaTotal + 160), Apply("llama", new TrainableParameterPolicy { Method = FineTuningMethod.Ia3 }));
        Assert.Equal(new TrainableSummary(448, Gpt2Total + 448), Apply("gpt2", new TrainableParameterPolicy { Method = FineTuningMethod.Ia3 }));
    }

    [Fact]
    public void The_summary_prints_like_pefts()
    {
        Assert.Equal("trainable params: 294,912 || all params: 124,734,720 || trainable%: 0.2364",
            new TrainableSummary(294_912, 124_734_720).ToString());
        // 1,792 / 21,216 = 8.44645…%
        Assert.Equal("trainable params: 1,792 || all params: 21,216 || trainable%: 8.4465",
            Apply("llama", new TrainableParameterPolicy { Method = FineTuningMethod.Lora }).ToString());
    }

    [Fact]
    public void Settings_of_each_method_are_checked()
    {
        Assert.Contains("is not a fine-tuning method", Assert.Throws<AdapterConfigException>(() =>
            new TrainableParameterPolicy { Method = (FineTuningMethod)99 }.Validate()).Message);

        Assert.Contains("freeze: layers: 2, -1 out of range", Assert.Throws<AdapterConfigException>(() => Apply("llama",
            new TrainableParameterPolicy { Method = FineTuningMethod.Freeze, Freeze = new FreezeOptions { Layers = [0, 2, -1] } })).Message);
        Assert.Contains("nothing would be frozen", Assert.Throws<AdapterConfigException>(() => Apply("llama",
            new TrainableParameterPolicy { Method = FineTuningMethod.Freeze })).Message);
        Assert.Contains("num_virtual_tokens: 0", Assert.Throws<AdapterConfigException>(() => new TrainableParameterPolicy
            { Method = FineTuningMethod.PromptTuning, PromptTuning = new PromptTuningConfig { NumVirtualTokens = 0 } }.Validate()).Message);
        Assert.Contains("compute_dtype", Assert.Throws<AdapterConfigException>(() => new TrainableParameterPolicy
            { Method = FineTuningMethod.Qlora, QLoraComputeDtype = ScalarType.Int32 }.Validate()).Message);
        Assert.Contains("block_size: 63", Assert.Throws<AdapterConfigException>(() => new TrainableParameterPolicy
            { Method = FineTuningMethod.Qlora, Nf4 = new Nf4Options { BlockSize = 63 } }.Validate()).Message);
    }

    [Fact]
    public void Freezing_a_layer_keeps_it_fixed_while_the_rest_trains()
    {
        using var model = AdapterTestModels.Create("llama");
        new TrainableParameterPolicy { Method = FineTuningMethod.Freeze, Freeze = new FreezeOptions { Layers = [0], Embeddings = true } }.Apply(model);
        var before = AdapterTestModels.Snapshot(model);

        AdapterTestModels.Train(model, AdapterTestModels.Ids());

        var after = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, value) in before)
        {
            var frozen = name.StartsWith("model.layers.0.") || name == "model.embed_tokens.weight";
            Assert.True(frozen == after[name].IsIdenticalTo(value), $"{name}: frozen {frozen}");
        }
    }

    [Fact]
    public void Adapted_models_save_what_training_produced()
    {
        using var folder = new TempFolder();
        using var model = AdapterTestModels.Create("gpt2");
        var lora = new TrainableParameterPolicy { Method = FineTuningMethod.Lora }.Apply(model);
        Assert.True(lora.SavesAdapter);
        lora.Save(Path.Combine(folder.Path, "lora"));
        Assert.True(File.Exists(Path.Combine(folder.Path, "lora", "adapter_config.json")));

        using var other = AdapterTestModels.Create("gpt2");
        var bitfit = new TrainableParameterPolicy { Method = FineTuningMethod.Bitfit }.Apply(other);
        Assert.False(bitfit.SavesAdapter);
        Assert.False(bitfit.CanMerge);
        bitfit.Save(Path.Combine(folder.Path, "full"));
        Assert.True(File.Exists(Path.Combine(folder.Path, "full", "model.safetensors")));
    }
}
