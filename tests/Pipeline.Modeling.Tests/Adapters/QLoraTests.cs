using Pipeline.Contracts;
using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Adapters.Lora;
using Pipeline.Modeling.Quantization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Tests.Adapters;

public sealed class QLoraTests
{
    private static QuantizationReport ApplyQLora(CausalLanguageModel model, LoraConfig config, ScalarType computeDtype = ScalarType.Float32, Nf4Options? nf4 = null)
    {
        using var generator = new Generator(5);                                   // the seed AdapterTestModels.ApplyLora uses
        return QLoraAdapter.Apply(model, config, computeDtype, nf4, generator);
    }

    private static double RelativeDifference(Tensor actual, Tensor expected) =>
        ((actual - expected).norm() / expected.norm()).item<float>();

    [Theory]
    [InlineData("llama")]
    [InlineData("gpt2")]
    public void Qlora_logits_are_close_to_fp32_lora_logits(string architecture)
    {
        var config = new LoraConfig { TargetModules = [LoraConfig.AllLinear] };
        using var lora = AdapterTestModels.Create(architecture);
        AdapterTestModels.ApplyLora(lora, config);
        AdapterTestModels.RandomizeLoraB(lora);
        using var qlora = AdapterTestModels.Create(architecture);
        var report = ApplyQLora(qlora, config);
        AdapterTestModels.RandomizeLoraB(qlora);
        lora.eval();
        qlora.eval();
        var ids = AdapterTestModels.Ids();
        Assert.True(LoraAdapter.Layers(qlora).All(l => l.Layer.BaseLayer is Nf4Linear));
        Assert.True(LoraAdapter.Layers(qlora).Select(l => l.Layer.LoraA).Zip(LoraAdapter.Layers(lora).Select(l => l.Layer.LoraA))
            .All(p => p.First.IsIdenticalTo(p.Second)), "the same seed should give the same adapters");

        var difference = RelativeDifference(AdapterTestModels.Logits(qlora, ids), AdapterTestModels.Logits(lora, ids));

        // Each linear's output is off by about the weights' relative error; through 2 layers of 4 to 7 quantized
        // linears (SwiGLU multiplies two noisy paths) the logits stay within a small multiple of it, and they do
        // move (the base really is quantized).
        Assert.InRange(report.RelativeError, 0.01, 0.1);
        Assert.InRange(difference, 1e-4, 3 * report.RelativeError);
    }

    [Theory]
    [InlineData("llama")]
    [InlineData("gpt2")]
    public void Qlora_computes_lora_over_the_dequantized_base(string architecture)
    {
        var config = new LoraConfig { TargetModules = [LoraConfig.AllLinear] };
        using var qlora = AdapterTestModels.Create(architecture);
        ApplyQLora(qlora, config);
        AdapterTestModels.RandomizeLoraB(qlora);
        using var reference = AdapterTestModels.Create(architecture);
        using (no_grad())
            foreach (var (name, linear) in ModuleSurgery.NamedLinears(reference).Where(l => l.Name != "lm_head"))
                linear.weight!.copy_(Nf4Quantizer.Dequantize(Nf4Quantizer.Quantize(linear.weight!), ScalarType.Float32));
        AdapterTestModels.ApplyLora(reference, config);
        AdapterTestModels.RandomizeLoraB(reference);
        qlora.eval();
        reference.eval();

        var ids = AdapterTestModels.Ids();
        Assert.True(AdapterTestModels.MaxAbsDifference(AdapterTestModels.Logits(qlora, ids), AdapterTestModels.Logits(reference, ids)) < 1e-5);
    }

    [Fact]
    public void The_report_counts_the_quantized_layers_and_their_memory()
    {
        using var model = AdapterTestModels.Create("llama");
        var report = ApplyQLora(model, new LoraConfig());                          // LoRA on q, v; every linear but lm_head in NF4

        Assert.Equal(14, report.Modules);
        // per layer: q 32·32, k 16·32, v 16·32, o 32·32, gate/up 48·32, down 32·48
        Assert.Equal(2 * (1024 + 512 + 512 + 1024 + 3 * 1536), report.Parameters);
        Assert.Equal(report.Parameters * 4, report.OriginalBytes);
        Assert.InRange(report.BytesPerParameter, 0.5, 0.6);
        Assert.True(report.SavedBytes > 0.8 * report.OriginalBytes);
        Assert.IsType<Linear>(model.LmHead);
        Assert.IsType<Nf4Linear>(ModuleSurgery.GetSubmodule(model, "model.layers.0.mlp.up_proj"));     // not a target, still quantized
        Assert.Contains("double-quantized", report.ToString());

        using var targetsOnly = AdapterTestModels.Create("llama");
        var small = ApplyQLora(targetsOnly, new LoraConfig(), nf4: new Nf4Options { QuantizeNonTargetLinears = false });
        Assert.Equal(4, small.Modules);
        Assert.IsType<Linear>(ModuleSurgery.GetSubmodule(targetsOnly, "model.layers.0.mlp.up_proj"));
    }

    [Fact]
    public void Training_updates_only_the_adapters_and_the_packed_base_stays()
    {
        using var model = AdapterTestModels.Create("gpt2");
        ApplyQLora(model, new LoraConfig(), ScalarType.BFloat16);
        var buffers = model.named_buffers().ToDictionary(b => b.name, b => b.buffer.clone());
        var parameters = AdapterTestModels.Snapshot(model);
        var ids = AdapterTestModels.Ids();
        var before = AdapterTestModels.Logits(model, ids);

        AdapterTestModels.Train(model, ids);

        Assert.All(model.named_buffers(), b => Assert.True(b.buffer.IsIdenticalTo(buffers[b.name]), b.name));
        var after = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.All(parameters, p => Assert.Equal(p.Key.Contains(".lora_"), !after[p.Key].IsIdenticalTo(p.Value)));
        Assert.True(AdapterTestModels.MaxAbsDifference(AdapterTestModels.Logits(model, ids), before) > 1e-3);
    }

    [Fact]
    public void Merge_and_unload_dequantizes_and_keeps_the_logits()
    {
        using var model = AdapterTestModels.Create("llama");
        ApplyQLora(model, new LoraConfig());
        AdapterTestModels.RandomizeLoraB(model);
        model.eval();
        var ids = AdapterTestModels.Ids();
        var expected = AdapterTestModels.Logits(model, ids);
        Assert.Throws<InvalidOperationException>(() => LoraAdapter.Merge(model));   // a 4-bit base cannot absorb the update in place

        LoraAdapter.MergeAndUnload(model);

        Assert.DoesNotContain(model.named_modules(), m => m.module is Nf4Linear or LoraLinear);
        Assert.True(AdapterTestModels.MaxAbsDifference(AdapterTestModels.Logits(model, ids), expected) < 1e-5);
    }

    [Fact]
    public void A_saved_qlora_adapter_loads_onto_a_quantized_base()
    {
        using var folder = new TempFolder();
        using var model = AdapterTestModels.Create("llama");
        ApplyQLora(model, new LoraConfig { TargetModules = ["o_proj"] });
        AdapterTestModels.RandomizeLoraB(model);
        model.eval();
        LoraAdapter.Save(model, folder.Path);

        using var fresh = AdapterTestModels.Create("llama");
        QLoraAdapter.Load(fresh, folder.Path, ScalarType.Float32);
        fresh.eval();

        var ids = AdapterTestModels.Ids();
        Assert.True(AdapterTestModels.Logits(fresh, ids).IsIdenticalTo(AdapterTestModels.Logits(model, ids)));
    }

    [Fact]
    public void Applying_inside_a_dispose_scope_leaves_a_working_model()
    {
        using var model = AdapterTestModels.Create("llama");
        var ids = AdapterTestModels.Ids();
        using (NewDisposeScope())
        {
            new TrainableParameterPolicy { Method = FineTuningMethod.Qlora, QLoraComputeDtype = ScalarType.Float32 }.Apply(model);
            model.to(ScalarType.Float32);
        }
        using (NewDisposeScope())
            Assert.Equal([2L, 9L, (long)TinyModels.Vocab], model.Forward(ids).Logits.shape);
    }
}
