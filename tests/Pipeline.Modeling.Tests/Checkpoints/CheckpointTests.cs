using Pipeline.Modeling.Checkpoints;
using Pipeline.Modeling.Configuration;
using Pipeline.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Tests.Checkpoints;

public sealed class CheckpointTests
{
    [Theory]
    [InlineData("llama")]
    [InlineData("gpt2")]
    public void Save_then_load_reproduces_the_logits(string architecture)
    {
        var config = architecture == "gpt2" ? TinyModels.Gpt2() : TinyModels.Llama();
        using var folder = new TempFolder();
        using var model = TinyModels.Create(config);
        CausalLmLoader.Save(model, folder.Path);
        using var loaded = CausalLmLoader.Load(folder.Path);

        var ids = TinyModels.Ids(TinyModels.RandomIds(7, 21));
        using var _ = no_grad();
        Assert.True(model.Forward(ids).Logits.IsIdenticalTo(loaded.Forward(ids).Logits));
        Assert.Equal(config, loaded.Config);
    }

    [Fact]
    public void Checkpoint_uses_hugging_face_names_and_conv1d_layout()
    {
        using var folder = new TempFolder();
        using var model = TinyModels.Create(TinyModels.Gpt2(layers: 1));
        CausalLmLoader.Save(model, folder.Path);
        using var file = SafetensorsFile.Open(Path.Combine(folder.Path, "model.safetensors"));
        var shapes = file.Tensors.ToDictionary(t => t.Name, t => t.Shape);

        Assert.Equal([32, 96], shapes["transformer.h.0.attn.c_attn.weight"]);      // Conv1D: [in, out]
        Assert.Equal([32, 128], shapes["transformer.h.0.mlp.c_fc.weight"]);
        Assert.Equal([64, 32], shapes["transformer.wpe.weight"]);
        Assert.DoesNotContain("lm_head.weight", shapes.Keys);                       // tied
        Assert.Equal(2 + 12 + 2, shapes.Count);                                      // wte, wpe, 12 per block, ln_f
    }

    [Fact]
    public void Sharded_and_bfloat16_checkpoints_load()
    {
        using var folder = new TempFolder();
        using var model = TinyModels.Create(TinyModels.Llama());
        CausalLmLoader.Save(model, folder.Path, ScalarType.BFloat16, maxShardBytes: 8_000);
        Assert.True(File.Exists(Path.Combine(folder.Path, "model.safetensors.index.json")));
        Assert.Equal("bfloat16", ModelConfigJson.Load(folder.Path).TorchDtype);

        using var loaded = CausalLmLoader.Load(folder.Path, dtype: ScalarType.Float32);
        var original = model.state_dict();
        foreach (var (name, value) in loaded.state_dict())
            Assert.True(value.IsIdenticalTo(original[name].to(ScalarType.BFloat16).to(ScalarType.Float32)), name);
    }

    [Fact]
    public void Missing_and_unexpected_keys_are_listed()
    {
        using var folder = new TempFolder();
        using var model = TinyModels.Create(TinyModels.Llama(layers: 1));
        var weights = TinyModels.CheckpointWeights(model, folder.Path);
        weights.Remove("model.layers.0.mlp.up_proj.weight");
        weights.Remove("model.norm.weight");
        weights["model.layers.0.mlp.extra.weight"] = zeros(2);
        weights["model.layers.0.self_attn.rotary_emb.inv_freq"] = zeros(4);          // ignored, as transformers does
        SafetensorsWriter.Write(Path.Combine(folder.Path, "model.safetensors"),
            weights.Select(kv => TensorPayload.FromFloats(kv.Key, SafetensorsDType.F32, kv.Value.shape, kv.Value.data<float>().ToArray())));

        var error = Assert.Throws<CheckpointMismatchException>(() => CausalLmLoader.Load(folder.Path));
        Assert.Contains("missing keys (2): model.layers.0.mlp.up_proj.weight, model.norm.weight", error.Message);
        Assert.Contains("unexpected keys (1): model.layers.0.mlp.extra.weight", error.Message);
        Assert.Contains(folder.Path, error.Message);
    }

    [Fact]
    public void A_wrong_shape_is_named()
    {
        using var folder = new TempFolder();
        using var model = TinyModels.Create(TinyModels.Llama(layers: 1));
        CausalLmLoader.Save(model, folder.Path);
        ModelConfigJson.Save(model.Config with { IntermediateSize = 40 }, folder.Path);

        var error = Assert.Throws<CheckpointMismatchException>(() => CausalLmLoader.Load(folder.Path));
        Assert.Contains("model.layers.0.mlp.up_proj.weight: checkpoint [48, 32], model expects [40, 32]", error.Message);
    }

    [Fact]
    public void Random_init_is_seeded_and_hugging_face_like()
    {
        using var a = ModelFactory.CreateRandom(TinyModels.Gpt2(), seed: 3);
        using var b = ModelFactory.CreateRandom(TinyModels.Gpt2(), seed: 3);
        using var c = ModelFactory.CreateRandom(TinyModels.Gpt2(), seed: 4);
        var (sa, sb, sc) = (a.state_dict(), b.state_dict(), c.state_dict());
        Assert.All(sa, kv => Assert.True(kv.Value.IsIdenticalTo(sb[kv.Key]), kv.Key));
        Assert.False(sa["transformer.wte.weight"].IsIdenticalTo(sc["transformer.wte.weight"]));

        Assert.Equal(0.02, sa["transformer.wte.weight"].std().item<float>(), 2);
        Assert.Equal(0.02 / Math.Sqrt(4), sa["transformer.h.0.mlp.c_proj.weight"].std().item<float>(), 2);
        Assert.True(sa["transformer.h.1.ln_2.weight"].eq(1).all().item<bool>());
        Assert.True(sa["transformer.h.1.attn.c_attn.bias"].eq(0).all().item<bool>());
    }

    [Fact]
    public void Projections_are_replaceable_by_name()
    {
        using var model = TinyModels.Create(TinyModels.Llama(layers: 1));
        var linears = ModuleSurgery.NamedLinears(model).Select(l => l.Name).Order().ToList();
        Assert.Equal(new[] { "model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.k_proj", "model.layers.0.self_attn.v_proj",
            "model.layers.0.self_attn.o_proj", "model.layers.0.mlp.gate_proj", "model.layers.0.mlp.up_proj",
            "model.layers.0.mlp.down_proj", "lm_head" }.Order(), linears);

        var ids = TinyModels.Ids(TinyModels.RandomIds(5, 31));
        using var _ = no_grad();
        var before = model.Forward(ids).Logits;
        var zero = nn.Linear(48, 32, hasBias: false);
        zero.weight!.zero_();
        var old = ModuleSurgery.ReplaceSubmodule(model, "model.layers.0.mlp.down_proj", zero);

        Assert.IsType<TorchSharp.Modules.Linear>(old);
        Assert.Same(zero, ModuleSurgery.GetSubmodule(model, "model.layers.0.mlp.down_proj"));
        Assert.False(before.allclose(model.Forward(ids).Logits), "forward still used the old module");
        Assert.True(model.state_dict()["model.layers.0.mlp.down_proj.weight"].eq(0).all().item<bool>());
        ModuleSurgery.ReplaceSubmodule(model, "model.layers.0.mlp.down_proj", old);
        Assert.True(before.IsIdenticalTo(model.Forward(ids).Logits));

        var error = Assert.Throws<ArgumentException>(() => ModuleSurgery.GetSubmodule(model, "model.layers.0.mlp.side_proj"));
        Assert.Contains("gate_proj", error.Message);
    }
}
