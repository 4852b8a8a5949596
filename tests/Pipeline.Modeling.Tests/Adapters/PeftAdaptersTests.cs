using System.Text.Json.Nodes;
using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Adapters.PTuning;
using Pipeline.Modeling.Adapters.Peft;
using Pipeline.Modeling.Adapters.PrefixTuning;
using TorchSharp;

namespace Pipeline.Modeling.Tests.Adapters;

public sealed class PeftAdaptersTests
{
    [Fact]
    public void An_unknown_peft_type_is_refused_naming_the_file_and_the_supported_types()
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, "adapter_config.json"), """{"peft_type": "VERA", "task_type": "CAUSAL_LM"}""");
        using var model = AdapterTestModels.Create("llama");
        var error = Assert.Throws<AdapterConfigException>(() => PeftAdapters.Load(model, folder.Path));
        Assert.Contains("adapter_config.json: peft_type: \"VERA\" is not supported; allowed: \"LORA\", \"PROMPT_TUNING\", \"PREFIX_TUNING\", \"P_TUNING\", \"IA3\", \"LN_TUNING\", \"BOTTLENECK\"", error.Message);
    }

    [Fact]
    public void Soft_prompts_and_prefixes_cannot_be_merged()
    {
        using var model = AdapterTestModels.Create("llama");
        using var generator = new torch.Generator(1);
        var prefix = PrefixTuningAdapter.Apply(model, new PrefixTuningConfig { NumVirtualTokens = 2 }, generator);
        Assert.Contains("method prefix_tuning", Assert.Throws<AdapterConfigException>(() => PeftAdapters.MergeAndUnload(prefix)).Message);

        using var other = AdapterTestModels.Create("llama");
        var ptuned = PTuningAdapter.Apply(other, new PTuningConfig { NumVirtualTokens = 2 }, generator);
        Assert.Contains("method p_tuning", Assert.Throws<AdapterConfigException>(() => PeftAdapters.MergeAndUnload(ptuned)).Message);
    }

    [Fact]
    public void A_wrong_peft_type_for_the_reader_names_both()
    {
        var json = new JsonObject { ["peft_type"] = "IA3", ["target_modules"] = new JsonArray("k_proj") }.ToJsonString();
        var error = Assert.Throws<AdapterConfigException>(() => PeftConfigJson.ReadLnTuning(json, "a/adapter_config.json"));
        Assert.Contains("peft_type: \"IA3\" where \"LN_TUNING\" was expected", error.Message);
    }
}
