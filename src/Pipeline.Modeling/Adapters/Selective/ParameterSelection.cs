using System.Text.RegularExpressions;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Adapters.Selective;

/// <summary>
/// Chooses which existing parameters train, without adding any: layer freezing and BitFit (Ben Zaken et al.
/// 2021: biases only). Names are the Hugging Face ones, so layer i is model.layers.i (Llama) or transformer.h.i (GPT-2).
/// </summary>
public static partial class ParameterSelection
{
    /// <summary>Makes every parameter trainable (full fine-tuning).</summary>
    public static void TrainAll(nn.Module model)
    {
        foreach (var parameter in model.parameters()) parameter.requires_grad = true;
    }

    /// <summary>Everything trains except the chosen decoder layers and, if asked, the embeddings.</summary>
    public static void Freeze(CausalLanguageModel model, FreezeOptions options)
    {
        options.Validate(model.Config.NumLayers);
        var frozenLayers = options.Layers.ToHashSet();
        var embeddingNames = EmbeddingParameterNames(model);
        foreach (var (name, parameter) in model.named_parameters())
            parameter.requires_grad = !(LayerIndex(name) is { } layer && frozenLayers.Contains(layer))
                && !(options.Embeddings && embeddingNames.Contains(name));
    }

    /// <summary>BitFit: only the bias vectors train. A model without biases (Llama) is an error, since nothing would train.</summary>
    public static void BitFit(nn.Module model)
    {
        var any = false;
        foreach (var (name, parameter) in model.named_parameters())
            any |= parameter.requires_grad = name.EndsWith(".bias", StringComparison.Ordinal);
        if (!any)
            throw new AdapterConfigException("bitfit: this model has no bias parameters (Llama and Mistral have none; GPT-2 and Qwen2's q/k/v do), so nothing would train; choose another method.");
    }

    /// <summary>The decoder layer a parameter belongs to (model.layers.3.… or transformer.h.3.… → 3), or null.</summary>
    public static int? LayerIndex(string parameterName) =>
        LayerPattern().Match(parameterName) is { Success: true } match ? int.Parse(match.Groups[1].Value) : null;

    /// <summary>Names of the parameters of every Embedding module (token embeddings; GPT-2's position embeddings too).</summary>
    public static IReadOnlySet<string> EmbeddingParameterNames(nn.Module model) =>
        model.named_modules().Where(m => m.module is Embedding)
            .SelectMany(m => m.module.named_parameters().Select(p => m.name.Length == 0 ? p.name : $"{m.name}.{p.name}"))
            .ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"^(?:model\.layers|transformer\.h)\.(\d+)\.")]
    private static partial Regex LayerPattern();
}
