using System.CommandLine;
using Pipeline.Modeling.Configuration;
using Pipeline.Modeling.Quantization;
using static TorchSharp.torch;

namespace Pipeline.Cli.Commands.Model;

/// <summary>Options shared by the model commands.</summary>
internal static class ModelOptions
{
    public static Option<string> Model() => new("--model")
    {
        Description = "Model folder in the Hugging Face layout (config.json, model.safetensors, tokenizer files).",
        Required = true,
    };

    public static Option<string?> Adapter() => new("--adapter")
    {
        Description = "A PEFT adapter folder (adapter_config.json, adapter_model.safetensors) to apply on top of the model.",
    };

    public static Option<string?> Dtype() => new("--dtype")
    {
        Description = "Compute dtype: float32 or bfloat16 (default: the config's torch_dtype).",
    };

    public static Option<bool> Nf4() => new("--nf4")
    {
        Description = "Store the base's linear layers in NF4 (block 64, 8-bit scales) as QLoRA training does; matmuls run in the model's dtype.",
    };

    /// <summary>NF4 settings for the loaded model when --nf4 is set: dequantized to <paramref name="dtype"/> (else the config's dtype).</summary>
    public static Nf4BaseOptions? Nf4Base(bool enabled, ScalarType? dtype, string modelDirectory) =>
        enabled ? Nf4BaseOptions.Default(dtype ?? ModelConfigJson.Load(modelDirectory).ScalarType) : null;

    public static Option<bool> Json() => new("--json") { Description = "Print one JSON object instead of tables." };

    public static Option<string?> ChatTemplate() => new("--chat-template")
    {
        Description = "Chat template: chatml, qwen2, llama3 or alpaca (default: the tokenizer's own chat_template).",
    };

    /// <summary>The dtype named by --dtype, or null; config.json's spellings, with the usual short forms.</summary>
    public static ScalarType? ParseDtype(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "fp32" or "f32" => ScalarType.Float32,
        "bf16" => ScalarType.BFloat16,
        "fp16" or "f16" => ScalarType.Float16,
        var other => ModelConfigJson.ParseDtype(other, "--dtype"),
    };
}
