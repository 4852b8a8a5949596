using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Adapters.Lora;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Tests.Adapters;

public sealed class LoraLinearTests
{
    [Theory]
    [InlineData("llama")]
    [InlineData("gpt2")]
    public void A_fresh_adapter_changes_no_logit(string architecture)
    {
        using var model = AdapterTestModels.Create(architecture);
        var ids = AdapterTestModels.Ids();
        var before = AdapterTestModels.Logits(model, ids);

        var adapted = AdapterTestModels.ApplyLora(model, new LoraConfig { TargetModules = [LoraConfig.AllLinear] });

        Assert.Equal(architecture == "gpt2" ? 8 : 14, adapted.Count);              // 4 (GPT-2) or 7 (Llama) linears per layer, 2 layers
        Assert.True(AdapterTestModels.Logits(model, ids).IsIdenticalTo(before));   // B = 0: the update is exactly zero, even with dropout on
    }

    [Fact]
    public void A_is_kaiming_uniform_and_B_is_zero()
    {
        var linear = nn.Linear(48, 32);
        using var generator = new Generator(3);
        var lora = new LoraLinear(linear, new LoraConfig { R = 16 }, generator);

        var bound = 1 / Math.Sqrt(48);                                           // Kaiming-uniform, a = √5: gain √(1/3) · √(3/fan_in)
        Assert.Equal([16L, 48L], lora.LoraA.shape);
        Assert.Equal([32L, 16L], lora.LoraB.shape);
        Assert.True(lora.LoraA.abs().max().item<float>() <= bound);
        Assert.Equal(bound / Math.Sqrt(3), lora.LoraA.std().item<float>(), 0.01);   // uniform(−b, b) has std b/√3
        Assert.True(lora.LoraB.eq(0).all().item<bool>());
    }

    [Fact]
    public void Forward_adds_the_scaled_low_rank_update()
    {
        var linear = nn.Linear(3, 2, hasBias: true);
        using (no_grad())
        {
            linear.weight!.copy_(tensor(new float[] { 1, 0, 2, 0, 1, -1 }).view(2, 3));
            linear.bias!.copy_(tensor(new float[] { 0.5f, -0.5f }));
        }
        var lora = new LoraLinear(linear, new LoraConfig { R = 1, Alpha = 4, Dropout = 0 });
        using (no_grad())
        {
            lora.LoraA.copy_(tensor(new float[] { 1, 1, 0 }).view(1, 3));
            lora.LoraB.copy_(tensor(new float[] { 2, -1 }).view(2, 1));
        }
        var x = tensor(new float[] { 1, 2, 3 }).view(1, 3);

        // base: [1 + 6 + 0.5, 2 − 3 − 0.5] = [7.5, −1.5]; A x = 3; B·3 = [6, −3]; scale 4/1 = 4 → + [24, −12]
        var y = lora.call(x);
        Assert.Equal(new[] { 31.5f, -13.5f }, y.data<float>().ToArray());
    }

    [Fact]
    public void Scale_is_alpha_over_r_or_over_root_r_with_rslora()
    {
        Assert.Equal(2.0, new LoraConfig { R = 16, Alpha = 32 }.Scale);
        Assert.Equal(8.0, new LoraConfig { R = 16, Alpha = 32, UseRsLora = true }.Scale);   // 32 / √16

        var linear = nn.Linear(4, 4, hasBias: false);
        using (no_grad()) linear.weight!.zero_();
        var plain = new LoraLinear(linear, new LoraConfig { R = 4, Alpha = 8, Dropout = 0 });
        var stabilized = new LoraLinear(linear, new LoraConfig { R = 4, Alpha = 8, Dropout = 0, UseRsLora = true });
        using (no_grad())
            foreach (var lora in new[] { plain, stabilized })
            {
                lora.LoraA.copy_(eye(4));
                lora.LoraB.copy_(eye(4));
            }
        var x = ones(1, 4);
        Assert.Equal(2f, plain.call(x)[0, 0].item<float>());                     // 8 / 4
        Assert.Equal(4f, stabilized.call(x)[0, 0].item<float>());                // 8 / √4
    }

    [Theory]
    [InlineData("llama")]
    [InlineData("gpt2")]
    public void Training_moves_the_adapters_and_leaves_the_base_untouched(string architecture)
    {
        using var model = AdapterTestModels.Create(architecture);
        var ids = AdapterTestModels.Ids();
        var before = AdapterTestModels.Logits(model, ids);
        AdapterTestModels.ApplyLora(model, new LoraConfig());
        var snapshot = AdapterTestModels.Snapshot(model);

        AdapterTestModels.Train(model, ids);

        var after = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.All(snapshot.Where(p => !p.Key.Contains(".lora_")), p => Assert.True(after[p.Key].IsIdenticalTo(p.Value), $"{p.Key} changed"));
        Assert.All(snapshot.Where(p => p.Key.Contains(".lora_B.")), p => Assert.False(after[p.Key].IsIdenticalTo(p.Value), $"{p.Key} did not train"));
        Assert.True(AdapterTestModels.MaxAbsDifference(AdapterTestModels.Logits(model, ids), before) > 1e-3);
    }

    [Theory]
    [InlineData("llama")]
    [InlineData("gpt2")]
    public void Merged_logits_equal_adapter_logits_and_unmerge_restores_the_base(string architecture)
    {
        using var model = AdapterTestModels.Create(architecture);
        AdapterTestModels.ApplyLora(model, new LoraConfig { TargetModules = [LoraConfig.AllLinear] });
        AdapterTestModels.RandomizeLoraB(model);
        model.eval();                                                            // no dropout
        var ids = AdapterTestModels.Ids();
        var baseWeights = AdapterTestModels.Snapshot(model).Where(p => p.Key.Contains(".base_layer.")).ToList();
        var adapterLogits = AdapterTestModels.Logits(model, ids);

        LoraAdapter.Merge(model);
        var mergedLogits = AdapterTestModels.Logits(model, ids);
        Assert.All(LoraAdapter.Layers(model), l => Assert.True(l.Layer.Merged));
        Assert.True(AdapterTestModels.MaxAbsDifference(mergedLogits, adapterLogits) < 1e-5);
        var weight = model.state_dict()[baseWeights[0].Key];
        Assert.True(AdapterTestModels.MaxAbsDifference(weight, baseWeights[0].Value) > 1e-3, "merge did not change the base weight");

        LoraAdapter.Unmerge(model);
        var restored = model.state_dict();
        Assert.All(baseWeights, p => Assert.True(AdapterTestModels.MaxAbsDifference(restored[p.Key], p.Value) < 1e-6, p.Key));
        Assert.True(AdapterTestModels.MaxAbsDifference(AdapterTestModels.Logits(model, ids), adapterLogits) < 1e-5);
    }

    [Fact]
    public void All_linear_adapts_every_linear_but_lm_head()
    {
        using var model = AdapterTestModels.Create("llama");                    // untied: lm_head is a Linear
        var names = AdapterTestModels.ApplyLora(model, new LoraConfig { TargetModules = [LoraConfig.AllLinear] });

        Assert.DoesNotContain("lm_head", names);
        Assert.IsType<Linear>(model.LmHead);
        var expected = new[] { "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj" };
        Assert.Equal(expected.Length * 2, names.Count);
        Assert.All(expected, suffix => Assert.Equal(2, names.Count(n => n.EndsWith("." + suffix))));
    }

    [Fact]
    public void Default_targets_are_pefts_per_architecture()
    {
        using var llama = AdapterTestModels.Create("llama");
        using var gpt2 = AdapterTestModels.Create("gpt2");
        Assert.Equal(["model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj", "model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.v_proj"],
            AdapterTestModels.ApplyLora(llama, new LoraConfig()));
        Assert.Equal(["transformer.h.0.attn.c_attn", "transformer.h.1.attn.c_attn"], AdapterTestModels.ApplyLora(gpt2, new LoraConfig()));
    }

    [Fact]
    public void Trainable_biases_follow_the_bias_mode()
    {
        using var model = AdapterTestModels.Create("gpt2");
        AdapterTestModels.ApplyLora(model, new LoraConfig { Bias = LoraConfig.BiasLoraOnly });
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToList();
        Assert.Contains("transformer.h.0.attn.c_attn.base_layer.bias", trainable);
        Assert.DoesNotContain("transformer.h.0.attn.c_proj.bias", trainable);
        Assert.Equal(2 * 2 + 2, trainable.Count);                                // A and B per layer, plus the adapted c_attn bias
    }

    [Fact]
    public void Bad_targets_and_settings_are_named()
    {
        using var model = AdapterTestModels.Create("llama");
        var unknown = Assert.Throws<AdapterConfigException>(() => AdapterTestModels.ApplyLora(model, new LoraConfig { TargetModules = ["q_proj", "qkv_proj"] }));
        Assert.Contains("\"qkv_proj\" matches no module", unknown.Message);
        Assert.Contains("down_proj, gate_proj, k_proj, lm_head, o_proj, q_proj, up_proj, v_proj", unknown.Message);
        var notLinear = Assert.Throws<AdapterConfigException>(() => AdapterTestModels.ApplyLora(model, new LoraConfig { TargetModules = ["mlp"] }));
        Assert.Contains("'model.layers.0.mlp' is a LlamaMlp", notLinear.Message);

        Assert.Contains("r: 0", Assert.Throws<AdapterConfigException>(() => new LoraConfig { R = 0 }.Validate()).Message);
        Assert.Contains("lora_alpha", Assert.Throws<AdapterConfigException>(() => new LoraConfig { Alpha = -1 }.Validate()).Message);
        Assert.Contains("lora_dropout", Assert.Throws<AdapterConfigException>(() => new LoraConfig { Dropout = 1 }.Validate()).Message);
        Assert.Contains("bias: \"some\"", Assert.Throws<AdapterConfigException>(() => new LoraConfig { Bias = "some" }.Validate()).Message);
        Assert.Contains("target_modules", Assert.Throws<AdapterConfigException>(() => new LoraConfig { TargetModules = [] }.Validate()).Message);

        AdapterTestModels.ApplyLora(model, new LoraConfig());
        Assert.Contains("already has LoRA", Assert.Throws<InvalidOperationException>(() => AdapterTestModels.ApplyLora(model, new LoraConfig())).Message);
    }
}
