using System.Text.Json.Nodes;
using Pipeline.Contracts;
using Pipeline.Modeling.Adapters.PTuning;
using Pipeline.Modeling.Adapters.PrefixTuning;

namespace Pipeline.Modeling.Adapters.Peft;

// PrefixTuningConfig and PromptEncoderConfig (P-tuning), as PEFT writes them.
public static partial class PeftConfigJson
{
    /// <param name="tokenDim">The key/value width per layer, kvHeads · headDim.</param>
    /// <param name="numHeads">The key/value heads (PEFT's num_attention_heads after its grouped-query rule).</param>
    public static string WritePrefixTuning(PrefixTuningConfig config, int tokenDim, int numLayers, int numHeads, string? baseModelNameOrPath) => Write(new()
    {
        ["auto_mapping"] = null,
        ["base_model_name_or_path"] = baseModelNameOrPath,
        ["encoder_hidden_size"] = config.EncoderHiddenSize ?? tokenDim,
        ["inference_mode"] = true,
        ["modules_to_save"] = null,
        ["num_attention_heads"] = numHeads,
        ["num_layers"] = numLayers,
        ["num_transformer_submodules"] = 1,
        ["num_virtual_tokens"] = config.NumVirtualTokens,
        ["peft_type"] = PrefixTuningType,
        ["prefix_projection"] = config.PrefixProjection,
        ["revision"] = null,
        ["task_type"] = CausalLmTask,
        ["token_dim"] = tokenDim,
    });

    /// <summary>Reads a prefix-tuning adapter_config.json: the config and the shape it was saved for (token_dim, num_layers, num_attention_heads).</summary>
    public static (PrefixTuningConfig Config, int TokenDim, int NumLayers, int NumHeads) ReadPrefixTuning(string json, string source)
    {
        var f = JsonFields.Parse(json, source);
        RequireType(f, PrefixTuningType);
        RequireOneSubmodule(f);
        var config = new PrefixTuningConfig
        {
            NumVirtualTokens = f.RequiredInt("num_virtual_tokens"),
            PrefixProjection = f.OptionalBool("prefix_projection") ?? false,
            EncoderHiddenSize = f.IsUnset("encoder_hidden_size") ? null : f.RequiredInt("encoder_hidden_size"),
        };
        Revalidate(config.Validate, source);
        return (config, f.RequiredInt("token_dim"), f.RequiredInt("num_layers"), f.RequiredInt("num_attention_heads"));
    }

    public static string WritePTuning(PTuningConfig config, int tokenDim, int numLayers, int numHeads, string? baseModelNameOrPath) => Write(new()
    {
        ["auto_mapping"] = null,
        ["base_model_name_or_path"] = baseModelNameOrPath,
        ["encoder_dropout"] = config.EncoderDropout,
        ["encoder_hidden_size"] = config.EncoderHiddenSize ?? tokenDim,
        ["encoder_num_layers"] = config.EncoderNumLayers,
        ["encoder_reparameterization_type"] = config.EncoderType == PromptEncoderType.Lstm ? "LSTM" : "MLP",
        ["inference_mode"] = true,
        ["modules_to_save"] = null,
        ["num_attention_heads"] = numHeads,
        ["num_layers"] = numLayers,
        ["num_transformer_submodules"] = 1,
        ["num_virtual_tokens"] = config.NumVirtualTokens,
        ["peft_type"] = PTuningType,
        ["revision"] = null,
        ["task_type"] = CausalLmTask,
        ["token_dim"] = tokenDim,
    });

    /// <summary>Reads a P-tuning adapter_config.json; returns the config and token_dim (the hidden size it was trained for).</summary>
    public static (PTuningConfig Config, int TokenDim) ReadPTuning(string json, string source)
    {
        var f = JsonFields.Parse(json, source);
        RequireType(f, PTuningType);
        RequireOneSubmodule(f);
        var type = f.OptionalString("encoder_reparameterization_type") ?? "MLP";
        var config = new PTuningConfig
        {
            NumVirtualTokens = f.RequiredInt("num_virtual_tokens"),
            EncoderType = type switch
            {
                "MLP" => PromptEncoderType.Mlp,
                "LSTM" => PromptEncoderType.Lstm,
                _ => throw f.Error("encoder_reparameterization_type", $"\"{type}\" is not supported; allowed: \"MLP\", \"LSTM\""),
            },
            EncoderHiddenSize = f.IsUnset("encoder_hidden_size") ? null : f.RequiredInt("encoder_hidden_size"),
            EncoderNumLayers = f.Has("encoder_num_layers") ? f.RequiredInt("encoder_num_layers") : 2,
            EncoderDropout = f.OptionalDouble("encoder_dropout") ?? 0,
        };
        Revalidate(config.Validate, source);
        return (config, f.RequiredInt("token_dim"));
    }

    private static void RequireOneSubmodule(JsonFields f)
    {
        var submodules = f.Has("num_transformer_submodules") ? f.RequiredInt("num_transformer_submodules") : 1;
        if (submodules != 1)
            throw f.Error("num_transformer_submodules", $"{submodules} is not supported; a decoder-only model has 1");
    }

    /// <summary>Runs a config's own checks, naming the file in the error.</summary>
    private static void Revalidate(Action validate, string source)
    {
        try
        {
            validate();
        }
        catch (AdapterConfigException e)
        {
            throw new AdapterConfigException($"{source}: {e.Message}");
        }
    }
}
