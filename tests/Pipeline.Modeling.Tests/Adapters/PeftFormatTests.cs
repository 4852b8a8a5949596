using System.Text.Json.Nodes;
using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Adapters.Lora;
using Pipeline.Modeling.Adapters.Peft;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Tests.Adapters;

public sealed class PeftFormatTests
{
    private static JsonObject ReadConfig(string directory) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "adapter_config.json")))!.AsObject();

    [Theory]
    [InlineData("llama")]
    [InlineData("gpt2")]
    public void Save_then_load_reproduces_the_logits(string architecture)
    {
        using var folder = new TempFolder();
        using var model = AdapterTestModels.Create(architecture);
        AdapterTestModels.ApplyLora(model, new LoraConfig { TargetModules = [LoraConfig.AllLinear], R = 4, UseRsLora = true });
        AdapterTestModels.RandomizeLoraB(model);
        model.eval();
        LoraAdapter.Save(model, folder.Path, "tiny-base");

        using var fresh = AdapterTestModels.Create(architecture);               // same base weights (same seed)
        var config = LoraAdapter.Load(fresh, folder.Path);
        fresh.eval();

        Assert.Equal(4, config.R);
        Assert.True(config.UseRsLora);
        var ids = AdapterTestModels.Ids();
        Assert.True(AdapterTestModels.Logits(fresh, ids).IsIdenticalTo(AdapterTestModels.Logits(model, ids)));
    }

    [Fact]
    public void Llama_keys_shapes_and_config_are_pefts()
    {
        using var folder = new TempFolder();
        using var model = AdapterTestModels.Create("llama");
        AdapterTestModels.ApplyLora(model, new LoraConfig { TargetModules = ["q_proj", "v_proj"], R = 8, Alpha = 16, Dropout = 0.05 });
        LoraAdapter.Save(model, folder.Path, "my/base");

        using var file = SafetensorsFile.Open(Path.Combine(folder.Path, "adapter_model.safetensors"));
        var shapes = file.Tensors.ToDictionary(t => t.Name, t => t.Shape);
        Assert.Equal(8, shapes.Count);                                           // 2 layers × 2 modules × (A, B)
        Assert.Equal([8L, 32L], shapes["base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"]);   // A: (r, in)
        Assert.Equal([32L, 8L], shapes["base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight"]);   // B: (out, r)
        Assert.Equal([16L, 8L], shapes["base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight"]);   // 2 kv heads × 8
        Assert.All(file.Tensors, t => Assert.Equal(SafetensorsDType.F32, t.DType));
        Assert.Equal("pt", file.Metadata["format"]);

        var json = ReadConfig(folder.Path);
        Assert.Equal("LORA", (string)json["peft_type"]!);
        Assert.Equal("CAUSAL_LM", (string)json["task_type"]!);
        Assert.Equal(8, (int)json["r"]!);
        Assert.Equal(16, (int)json["lora_alpha"]!);
        Assert.Equal(0.05, (double)json["lora_dropout"]!);
        Assert.Equal(["q_proj", "v_proj"], json["target_modules"]!.AsArray().Select(n => (string)n!));
        Assert.False((bool)json["use_rslora"]!);
        Assert.Equal("none", (string)json["bias"]!);
        Assert.Equal("my/base", (string)json["base_model_name_or_path"]!);
        Assert.False((bool)json["fan_in_fan_out"]!);
        Assert.True((bool)json["inference_mode"]!);
        Assert.True(json.ContainsKey("modules_to_save") && json["modules_to_save"] is null);
        Assert.True(json.ContainsKey("revision") && json["revision"] is null);
        Assert.Equal(json.Select(p => p.Key).Order(StringComparer.Ordinal), json.Select(p => p.Key));   // sort_keys=True
    }

    [Fact]
    public void Gpt2_conv1d_adapters_have_linear_shapes_and_fan_in_fan_out()
    {
        using var folder = new TempFolder();
        using var model = AdapterTestModels.Create("gpt2");
        AdapterTestModels.ApplyLora(model, new LoraConfig { TargetModules = [LoraConfig.AllLinear] });
        LoraAdapter.Save(model, folder.Path);

        using var file = SafetensorsFile.Open(Path.Combine(folder.Path, "adapter_model.safetensors"));
        var shapes = file.Tensors.ToDictionary(t => t.Name, t => t.Shape);
        Assert.Equal([8L, 32L], shapes["base_model.model.transformer.h.0.attn.c_attn.lora_A.weight"]);
        Assert.Equal([96L, 8L], shapes["base_model.model.transformer.h.0.attn.c_attn.lora_B.weight"]);
        Assert.Equal([8L, 128L], shapes["base_model.model.transformer.h.1.mlp.c_proj.lora_A.weight"]);
        Assert.Equal([32L, 8L], shapes["base_model.model.transformer.h.1.mlp.c_proj.lora_B.weight"]);

        var json = ReadConfig(folder.Path);
        Assert.True((bool)json["fan_in_fan_out"]!);
        Assert.Equal(["c_attn", "c_fc", "c_proj"], json["target_modules"]!.AsArray().Select(n => (string)n!));   // all-linear, expanded
        Assert.True(json["base_model_name_or_path"] is null);
    }

    [Fact]
    public void Biases_are_saved_when_the_bias_mode_trains_them()
    {
        using var folder = new TempFolder();
        using var model = AdapterTestModels.Create("gpt2");
        AdapterTestModels.ApplyLora(model, new LoraConfig { Bias = LoraConfig.BiasAll });
        LoraAdapter.Save(model, folder.Path);
        using var file = SafetensorsFile.Open(Path.Combine(folder.Path, "adapter_model.safetensors"));
        var names = file.Tensors.Select(t => t.Name).ToList();
        Assert.Contains("base_model.model.transformer.h.0.attn.c_attn.base_layer.bias", names);
        Assert.Contains("base_model.model.transformer.h.0.ln_1.bias", names);
        Assert.Equal(4 + 2 * 6 + 1, names.Count);                                // 4 LoRA matrices, 6 biases per block, ln_f.bias
    }

    [Fact]
    public void Missing_unexpected_and_mis_shaped_keys_are_listed()
    {
        using var folder = new TempFolder();
        using var model = AdapterTestModels.Create("llama");
        AdapterTestModels.ApplyLora(model, new LoraConfig());
        LoraAdapter.Save(model, folder.Path);
        var path = Path.Combine(folder.Path, "adapter_model.safetensors");
        using (var file = SafetensorsFile.Open(path))
        {
            var tensors = file.Tensors.Where(t => !t.Name.Contains("layers.1.self_attn.v_proj.lora_A"))
                .Select(t => (t.Name, Value: PeftFiles.ReadTensor(file, t.Name, ScalarType.Float32))).ToList();
            tensors.Add(("base_model.model.model.layers.0.self_attn.k_proj.lora_A.weight", zeros(8, 32)));
            tensors[0] = (tensors[0].Name, zeros(3, 3));
            file.Dispose();
            PeftFiles.WriteTensors(path, tensors.Select(t => KeyValuePair.Create(t.Name, t.Value)));
        }

        using var fresh = AdapterTestModels.Create("llama");
        var error = Assert.Throws<CheckpointMismatchException>(() => LoraAdapter.Load(fresh, folder.Path));
        Assert.Contains("missing keys (1): base_model.model.model.layers.1.self_attn.v_proj.lora_A.weight", error.Message);
        Assert.Contains("unexpected keys (1): base_model.model.model.layers.0.self_attn.k_proj.lora_A.weight", error.Message);
        Assert.Contains("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight: file [3, 3], model expects [8, 32]", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Unsupported_adapter_configs_name_the_field()
    {
        using var folder = new TempFolder();
        using var model = AdapterTestModels.Create("llama");
        AdapterTestModels.ApplyLora(model, new LoraConfig());
        LoraAdapter.Save(model, folder.Path);
        var path = Path.Combine(folder.Path, "adapter_config.json");
        var original = File.ReadAllText(path);

        void Expect(string field, object? value, string message)
        {
            var json = JsonNode.Parse(original)!.AsObject();
            json[field] = JsonValue.Create(value);
            File.WriteAllText(path, json.ToJsonString());
            using var fresh = AdapterTestModels.Create("llama");
            var error = Assert.ThrowsAny<Exception>(() => LoraAdapter.Load(fresh, folder.Path));
            Assert.Contains(message, error.Message);
            Assert.Contains(path, error.Message);
        }

        Expect("use_dora", true, "use_dora: true (DoRA) is not supported");
        Expect("r", 0, "r: 0 must be at least 1");
        Expect("peft_type", "PROMPT_TUNING", "load it with PromptTuningAdapter.Load");
        Expect("peft_type", "IA3", "peft_type: \"IA3\" where \"LORA\" was expected");
        Expect("target_modules", ".*attn.*", "regular expression");
        Expect("r", "eight", "r is \"eight\"; it must be a number");
    }

    [Theory]
    [InlineData("llama")]
    [InlineData("gpt2")]
    public void Merge_and_unload_gives_a_plain_checkpoint_with_the_adapter_logits(string architecture)
    {
        using var folder = new TempFolder();
        using var model = AdapterTestModels.Create(architecture);
        AdapterTestModels.ApplyLora(model, new LoraConfig { TargetModules = [LoraConfig.AllLinear] });
        AdapterTestModels.RandomizeLoraB(model);
        model.eval();
        var ids = AdapterTestModels.Ids();
        var adapterLogits = AdapterTestModels.Logits(model, ids);

        var plain = LoraAdapter.MergeAndUnload(model);
        Assert.Empty(LoraAdapter.Layers(plain));
        Assert.All(plain.parameters(), p => Assert.True(p.requires_grad));
        CausalLmLoader.Save(plain, folder.Path);
        using var reloaded = CausalLmLoader.Load(folder.Path);                  // strict: any LoRA or base_layer key would fail

        var difference = AdapterTestModels.MaxAbsDifference(AdapterTestModels.Logits(reloaded, ids), adapterLogits);
        Assert.True(difference < 1e-5, $"{difference} {adapterLogits.abs().max().item<float>()}");
        using var file = SafetensorsFile.Open(Path.Combine(folder.Path, "model.safetensors"));
        Assert.DoesNotContain(file.Tensors, t => t.Name.Contains("lora") || t.Name.Contains("base_layer"));
    }

    [Fact]
    public void Merge_to_directory_writes_a_hugging_face_folder_with_the_tokenizer()
    {
        using var root = new TempFolder();
        var (baseDir, adapterDir, outDir) = (Path.Combine(root.Path, "base"), Path.Combine(root.Path, "adapter"), Path.Combine(root.Path, "merged"));
        using (var baseModel = AdapterTestModels.Create("llama"))
            CausalLmLoader.Save(baseModel, baseDir);
        File.WriteAllText(Path.Combine(baseDir, "tokenizer.json"), "{\"model\": {}}");
        File.WriteAllText(Path.Combine(baseDir, "tokenizer_config.json"), "{}");

        using var tuned = CausalLmLoader.Load(baseDir);
        AdapterTestModels.ApplyLora(tuned, new LoraConfig { TargetModules = ["q_proj", "down_proj"] });
        AdapterTestModels.RandomizeLoraB(tuned);
        tuned.eval();
        LoraAdapter.Save(tuned, adapterDir, baseDir);
        var ids = AdapterTestModels.Ids();
        var expected = AdapterTestModels.Logits(tuned, ids);

        var result = AdapterMerging.MergeToDirectory(baseDir, adapterDir, outDir);

        Assert.Equal(4, result.MergedLayers.Count);
        Assert.Equal(["tokenizer.json", "tokenizer_config.json"], result.CopiedFiles);
        Assert.Equal("{\"model\": {}}", File.ReadAllText(Path.Combine(outDir, "tokenizer.json")));
        using var merged = CausalLmLoader.Load(outDir);
        Assert.True(AdapterTestModels.MaxAbsDifference(AdapterTestModels.Logits(merged, ids), expected) < 1e-5);
        Assert.Throws<ArgumentException>(() => AdapterMerging.MergeToDirectory(baseDir, adapterDir, baseDir));
    }
}
