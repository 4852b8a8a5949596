using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;

namespace Pipeline.Modeling.Configuration;

/// <summary>Reads and writes Hugging Face config.json for the supported architectures.</summary>
public static class ModelConfigJson
{
    public const string FileName = "config.json";
    public const string SupportedModelTypes = "llama, mistral, qwen2, gpt2";
    private const string SupportedRopeTypes = "\"default\", \"linear\", \"llama3\"";
    private const string SupportedDtypes = "float32, bfloat16, float16";

    /// <summary>Reads <paramref name="directory"/>/config.json.</summary>
    public static ModelConfig Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
            throw new ModelConfigException($"{path} does not exist: a model folder needs a Hugging Face config.json.");
        return Read(File.ReadAllText(path), path);
    }

    /// <summary>Parses config.json text; <paramref name="source"/> names the file in errors.</summary>
    public static ModelConfig Read(string json, string source = FileName)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject
                ?? throw new ModelConfigException($"{source}: the top level must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw new ModelConfigException($"{source}: not valid JSON (line {e.LineNumber + 1}): {e.Message}");
        }
        var fields = new Fields(root, source);
        var modelType = fields.RequiredString("model_type");
        return modelType switch
        {
            "llama" or "mistral" or "qwen2" => ReadLlamaFamily(fields, modelType),
            "gpt2" => ReadGpt2(fields),
            _ => throw new ModelConfigException(
                $"{source}: model_type \"{modelType}\" is not supported; supported: {SupportedModelTypes}."),
        };
    }

    private static ModelConfig ReadLlamaFamily(Fields f, string modelType)
    {
        var hidden = f.RequiredInt("hidden_size");
        var heads = f.RequiredInt("num_attention_heads");
        var kvHeads = f.OptionalInt("num_key_value_heads") ?? heads;
        if (kvHeads <= 0 || heads % kvHeads != 0)
            throw f.Error("num_key_value_heads", $"{kvHeads} must divide num_attention_heads ({heads})");
        var headDim = f.OptionalInt("head_dim") ?? DivideEvenly(f, "hidden_size", hidden, heads);
        var hiddenAct = f.OptionalString("hidden_act") ?? "silu";
        if (hiddenAct != "silu")
            throw f.Error("hidden_act", $"\"{hiddenAct}\" is not supported for {modelType}; supported: \"silu\"");
        if (modelType == "qwen2" && f.OptionalBool("use_sliding_window") == true)
            throw f.Error("use_sliding_window", "true is not supported for qwen2; supported: false");
        var attentionBias = f.OptionalBool("attention_bias") ?? false;

        return new ModelConfig
        {
            Architecture = ModelArchitecture.Llama,
            ModelType = modelType,
            VocabSize = f.RequiredInt("vocab_size"),
            HiddenSize = hidden,
            IntermediateSize = f.RequiredInt("intermediate_size"),
            NumLayers = f.RequiredInt("num_hidden_layers"),
            NumHeads = heads,
            NumKvHeads = kvHeads,
            HeadDim = headDim,
            NormEps = f.OptionalDouble("rms_norm_eps") ?? 1e-6,
            MaxPositionEmbeddings = f.OptionalInt("max_position_embeddings") ?? 2048,
            TieWordEmbeddings = f.OptionalBool("tie_word_embeddings") ?? false,
            RopeTheta = f.OptionalDouble("rope_theta") ?? 10000.0,
            RopeScaling = ReadRopeScaling(f),
            // Qwen2 always has q/k/v biases and never an o_proj bias; Llama's attention_bias covers all four.
            QkvBias = modelType == "qwen2" || attentionBias,
            OutputProjectionBias = modelType != "qwen2" && attentionBias,
            MlpBias = f.OptionalBool("mlp_bias") ?? false,
            SlidingWindow = modelType == "mistral" ? f.OptionalInt("sliding_window") : null,
            HiddenAct = hiddenAct,
            BosTokenId = f.OptionalInt("bos_token_id"),
            EosTokenIds = f.OptionalIntList("eos_token_id"),
            PadTokenId = f.OptionalInt("pad_token_id"),
            TorchDtype = ReadDtype(f),
        };
    }

    private static ModelConfig ReadGpt2(Fields f)
    {
        var hidden = f.RequiredInt("n_embd");
        var heads = f.RequiredInt("n_head");
        var activation = f.OptionalString("activation_function") ?? "gelu_new";
        if (activation != "gelu_new")
            throw f.Error("activation_function", $"\"{activation}\" is not supported for gpt2; supported: \"gelu_new\"");
        if (f.OptionalBool("scale_attn_by_inverse_layer_idx") == true)
            throw f.Error("scale_attn_by_inverse_layer_idx", "true is not supported; supported: false");
        if (f.OptionalBool("scale_attn_weights") == false)
            throw f.Error("scale_attn_weights", "false is not supported; supported: true");
        if (f.OptionalBool("tie_word_embeddings") == false)
            throw f.Error("tie_word_embeddings", "false is not supported for gpt2 (GPT2LMHeadModel ties lm_head to wte); supported: true");

        return new ModelConfig
        {
            Architecture = ModelArchitecture.Gpt2,
            ModelType = "gpt2",
            VocabSize = f.RequiredInt("vocab_size"),
            HiddenSize = hidden,
            IntermediateSize = f.OptionalInt("n_inner") ?? 4 * hidden,
            NumLayers = f.RequiredInt("n_layer"),
            NumHeads = heads,
            NumKvHeads = heads,
            HeadDim = DivideEvenly(f, "n_embd", hidden, heads),
            NormEps = f.OptionalDouble("layer_norm_epsilon") ?? 1e-5,
            MaxPositionEmbeddings = f.OptionalInt("n_positions") ?? 1024,
            TieWordEmbeddings = true,
            QkvBias = true,
            OutputProjectionBias = true,
            MlpBias = true,
            HiddenAct = activation,
            BosTokenId = f.OptionalInt("bos_token_id"),
            EosTokenIds = f.OptionalIntList("eos_token_id"),
            PadTokenId = f.OptionalInt("pad_token_id"),
            TorchDtype = ReadDtype(f),
        };
    }

    private static RopeScaling? ReadRopeScaling(Fields f)
    {
        if (!f.Root.TryGetPropertyValue("rope_scaling", out var node) || node is null) return null;
        if (node is not JsonObject scaling)
            throw f.Error("rope_scaling", "must be null or an object with \"rope_type\"");
        var inner = new Fields(scaling, f.Source, "rope_scaling.");
        var type = inner.OptionalString("rope_type") ?? inner.OptionalString("type")
            ?? throw f.Error("rope_scaling", $"has no \"rope_type\"; supported: {SupportedRopeTypes}");
        return type switch
        {
            "default" => null,
            "linear" => new RopeScaling.Linear(inner.RequiredDouble("factor")),
            "llama3" => new RopeScaling.Llama3(
                inner.RequiredDouble("factor"),
                inner.RequiredDouble("low_freq_factor"),
                inner.RequiredDouble("high_freq_factor"),
                inner.RequiredInt("original_max_position_embeddings")),
            _ => throw f.Error("rope_scaling.rope_type", $"\"{type}\" is not supported; supported: {SupportedRopeTypes}"),
        };
    }

    private static string ReadDtype(Fields f)
    {
        // transformers >= 4.56 writes "dtype"; older versions "torch_dtype".
        var field = f.Root.ContainsKey("torch_dtype") ? "torch_dtype" : "dtype";
        var dtype = f.OptionalString(field) ?? "float32";
        ParseDtype(dtype, $"{f.Source}: {field}");
        return dtype;
    }

    /// <summary>Maps a config.json dtype name to TorchSharp's; <paramref name="where"/> goes into the error.</summary>
    public static torch.ScalarType ParseDtype(string dtype, string where) => dtype switch
    {
        "float32" => torch.ScalarType.Float32,
        "bfloat16" => torch.ScalarType.BFloat16,
        "float16" => torch.ScalarType.Float16,
        _ => throw new ModelConfigException($"{where}: \"{dtype}\" is not supported; supported: {SupportedDtypes}."),
    };

    /// <summary>The config.json name of a TorchSharp dtype.</summary>
    public static string DtypeName(torch.ScalarType dtype) => dtype switch
    {
        torch.ScalarType.Float32 => "float32",
        torch.ScalarType.BFloat16 => "bfloat16",
        torch.ScalarType.Float16 => "float16",
        _ => throw new ModelConfigException($"dtype {dtype} cannot be written to config.json; supported: {SupportedDtypes}."),
    };

    private static int DivideEvenly(Fields f, string field, int value, int heads) =>
        heads > 0 && value % heads == 0 ? value / heads
            : throw f.Error(field, $"{value} is not divisible by the number of attention heads ({heads})");

    /// <summary>Writes <paramref name="directory"/>/config.json in a form transformers loads.</summary>
    public static void Save(ModelConfig config, string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, FileName), Write(config));
    }

    public static string Write(ModelConfig c)
    {
        var json = c.Architecture == ModelArchitecture.Gpt2 ? Gpt2Json(c) : LlamaJson(c);
        if (c.BosTokenId is { } bos) json["bos_token_id"] = bos;
        if (c.EosTokenIds.Count == 1) json["eos_token_id"] = c.EosTokenIds[0];
        else if (c.EosTokenIds.Count > 1) json["eos_token_id"] = new JsonArray([.. c.EosTokenIds.Select(id => (JsonNode?)id)]);
        if (c.PadTokenId is { } pad) json["pad_token_id"] = pad;
        json["torch_dtype"] = c.TorchDtype;
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonObject LlamaJson(ModelConfig c)
    {
        var architecture = c.ModelType switch { "mistral" => "MistralForCausalLM", "qwen2" => "Qwen2ForCausalLM", _ => "LlamaForCausalLM" };
        var json = new JsonObject
        {
            ["architectures"] = new JsonArray(architecture),
            ["model_type"] = c.ModelType,
            ["vocab_size"] = c.VocabSize,
            ["hidden_size"] = c.HiddenSize,
            ["intermediate_size"] = c.IntermediateSize,
            ["num_hidden_layers"] = c.NumLayers,
            ["num_attention_heads"] = c.NumHeads,
            ["num_key_value_heads"] = c.NumKvHeads,
            ["head_dim"] = c.HeadDim,
            ["hidden_act"] = c.HiddenAct,
            ["rms_norm_eps"] = c.NormEps,
            ["rope_theta"] = c.RopeTheta,
            ["rope_scaling"] = c.RopeScaling switch
            {
                RopeScaling.Linear l => new JsonObject { ["rope_type"] = "linear", ["factor"] = l.Factor },
                RopeScaling.Llama3 l => new JsonObject
                {
                    ["rope_type"] = "llama3",
                    ["factor"] = l.Factor,
                    ["low_freq_factor"] = l.LowFreqFactor,
                    ["high_freq_factor"] = l.HighFreqFactor,
                    ["original_max_position_embeddings"] = l.OriginalMaxPositionEmbeddings,
                },
                _ => null,
            },
            ["max_position_embeddings"] = c.MaxPositionEmbeddings,
            ["tie_word_embeddings"] = c.TieWordEmbeddings,
            ["mlp_bias"] = c.MlpBias,
        };
        if (c.ModelType == "llama") json["attention_bias"] = c.QkvBias;
        if (c.ModelType == "mistral") json["sliding_window"] = c.SlidingWindow;
        if (c.ModelType == "qwen2") json["use_sliding_window"] = false;
        return json;
    }

    private static JsonObject Gpt2Json(ModelConfig c) => new()
    {
        ["architectures"] = new JsonArray("GPT2LMHeadModel"),
        ["model_type"] = "gpt2",
        ["vocab_size"] = c.VocabSize,
        ["n_embd"] = c.HiddenSize,
        ["n_inner"] = c.IntermediateSize,
        ["n_layer"] = c.NumLayers,
        ["n_head"] = c.NumHeads,
        ["n_positions"] = c.MaxPositionEmbeddings,
        ["n_ctx"] = c.MaxPositionEmbeddings,
        ["layer_norm_epsilon"] = c.NormEps,
        ["activation_function"] = c.HiddenAct,
        ["tie_word_embeddings"] = true,
        ["resid_pdrop"] = 0.0,
        ["embd_pdrop"] = 0.0,
        ["attn_pdrop"] = 0.0,
    };
}
