using System.Text.Json.Nodes;
using System.Text.Json;
using Pipeline.Modeling.Adapters.Lora;
using Pipeline.Modeling.Adapters.PromptTuning;

namespace Pipeline.Modeling.Adapters.Peft;

/// <summary>
/// adapter_config.json as PEFT writes it (every field of LoraConfig / PromptTuningConfig, keys sorted, indent 2),
/// so `PeftModel.from_pretrained(base, folder)` loads what we save, and we load what PEFT saves.
/// </summary>
public static partial class PeftConfigJson
{
    public const string LoraType = "LORA";
    public const string PromptTuningType = "PROMPT_TUNING";
    public const string PrefixTuningType = "PREFIX_TUNING";
    public const string PTuningType = "P_TUNING";
    public const string Ia3Type = "IA3";
    public const string LnTuningType = "LN_TUNING";

    /// <summary>Ours, not a PEFT type: PEFT has no bottleneck adapter (see the Adapters README for the layout).</summary>
    public const string BottleneckType = "BOTTLENECK";

    /// <summary>Every peft_type this project reads and writes.</summary>
    public static readonly IReadOnlyList<string> SupportedTypes = [LoraType, PromptTuningType, PrefixTuningType, PTuningType, Ia3Type, LnTuningType, BottleneckType];
    public const string CausalLmTask = "CAUSAL_LM";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <param name="targetModules">The resolved target names (PEFT saves "all-linear" expanded to the names it matched).</param>
    /// <param name="fanInFanOut">True for GPT-2, whose Conv1D layers store weights (in, out).</param>
    public static string WriteLora(LoraConfig config, IReadOnlyList<string> targetModules, bool fanInFanOut, string? baseModelNameOrPath) => Write(new()
    {
        ["alpha_pattern"] = new JsonObject(),
        ["auto_mapping"] = null,
        ["base_model_name_or_path"] = baseModelNameOrPath,
        ["bias"] = config.Bias,
        ["fan_in_fan_out"] = fanInFanOut,
        ["inference_mode"] = true,
        ["init_lora_weights"] = true,
        ["layer_replication"] = null,
        ["layers_pattern"] = null,
        ["layers_to_transform"] = null,
        ["loftq_config"] = new JsonObject(),
        ["lora_alpha"] = Number(config.Alpha),
        ["lora_dropout"] = config.Dropout,
        ["megatron_config"] = null,
        ["megatron_core"] = "megatron.core",
        ["modules_to_save"] = null,
        ["peft_type"] = LoraType,
        ["r"] = config.R,
        ["rank_pattern"] = new JsonObject(),
        ["revision"] = null,
        ["target_modules"] = new JsonArray([.. targetModules.Select(t => (JsonNode?)t)]),
        ["task_type"] = CausalLmTask,
        ["use_dora"] = false,
        ["use_rslora"] = config.UseRsLora,
    });

    /// <summary>Reads a LoRA adapter_config.json; anything we cannot honour (DoRA, per-layer ranks, …) is an error naming the field.</summary>
    public static LoraConfig ReadLora(string json, string source)
    {
        var f = JsonFields.Parse(json, source);
        RequireType(f, LoraType);
        if (f.OptionalBool("use_dora") == true)
            throw f.Error("use_dora", "true (DoRA) is not supported; only plain LoRA adapters load");
        foreach (var field in new[] { "rank_pattern", "alpha_pattern", "layers_to_transform", "layers_pattern", "layer_replication", "modules_to_save" })
            if (!f.IsUnset(field))
                throw f.Error(field, $"{f.Text(field)} is not supported; only adapters with the same r and alpha on every target load");
        var targets = f.OptionalStringOrList("target_modules")
            ?? throw f.Error("target_modules", "is missing; it must list the adapted modules");
        if (targets is [var single] && single != LoraConfig.AllLinear && single.IndexOfAny(['*', '(', '[', '|', '\\', '$', '^', '+', '?']) >= 0)
            throw f.Error("target_modules", $"the regular expression \"{single}\" is not supported; list the module names");
        var config = new LoraConfig
        {
            R = f.RequiredInt("r"),
            Alpha = f.OptionalDouble("lora_alpha") ?? 8,   // PEFT's default
            Dropout = f.OptionalDouble("lora_dropout") ?? 0,
            TargetModules = targets,
            UseRsLora = f.OptionalBool("use_rslora") ?? false,
            Bias = f.OptionalString("bias") ?? LoraConfig.BiasNone,
        };
        try
        {
            config.Validate();
        }
        catch (AdapterConfigException e)
        {
            throw new AdapterConfigException($"{source}: {e.Message}");
        }
        return config;
    }

    public static string WritePromptTuning(PromptTuningConfig config, int tokenDim, int numLayers, int numHeads, string? baseModelNameOrPath) => Write(new()
    {
        ["auto_mapping"] = null,
        ["base_model_name_or_path"] = baseModelNameOrPath,
        ["inference_mode"] = true,
        ["num_attention_heads"] = numHeads,
        ["num_layers"] = numLayers,
        ["num_transformer_submodules"] = 1,
        ["num_virtual_tokens"] = config.NumVirtualTokens,
        ["peft_type"] = PromptTuningType,
        ["prompt_tuning_init"] = PromptTuningConfig.SampleVocabInit,
        ["prompt_tuning_init_text"] = null,
        ["revision"] = null,
        ["task_type"] = CausalLmTask,
        ["token_dim"] = tokenDim,
        ["tokenizer_kwargs"] = null,
        ["tokenizer_name_or_path"] = null,
    });

    /// <summary>Reads a prompt-tuning adapter_config.json; returns the config and token_dim (the hidden size it was trained for).</summary>
    public static (PromptTuningConfig Config, int TokenDim) ReadPromptTuning(string json, string source)
    {
        var f = JsonFields.Parse(json, source);
        RequireType(f, PromptTuningType);
        var submodules = f.Has("num_transformer_submodules") ? f.RequiredInt("num_transformer_submodules") : 1;
        if (submodules != 1)
            throw f.Error("num_transformer_submodules", $"{submodules} is not supported; a decoder-only model has 1");
        var config = new PromptTuningConfig { NumVirtualTokens = f.RequiredInt("num_virtual_tokens") };
        config.Validate();
        return (config, f.RequiredInt("token_dim"));
    }

    /// <summary>peft_type of an adapter_config.json ("LORA", "PROMPT_TUNING", …).</summary>
    public static string ReadPeftType(string json, string source) => JsonFields.Parse(json, source).RequiredString("peft_type");

    private static void RequireType(JsonFields f, string expected)
    {
        var type = f.RequiredString("peft_type");
        if (type != expected)
            throw f.Error("peft_type", $"\"{type}\" where \"{expected}\" was expected");
        var task = f.OptionalString("task_type");
        if (task is not null && task != CausalLmTask)
            throw f.Error("task_type", $"\"{task}\" is not supported; allowed: \"{CausalLmTask}\"");
    }

    // Integral values as integers, as PEFT's int fields are written (lora_alpha: 16, not 16.0).
    private static JsonNode Number(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < int.MaxValue ? JsonValue.Create((int)value) : JsonValue.Create(value);

    // PEFT: json.dumps(config, indent=2, sort_keys=True). The object literals above are written in sorted order.
    private static string Write(JsonObject json) => json.ToJsonString(Indented);
}
