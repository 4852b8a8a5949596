using Pipeline.Modeling.Llama;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Adapters.LnTuning;

/// <summary>
/// A normalization layer tuned as PEFT's LNTuningLayer does: the original stays as base_layer (frozen) and a trainable
/// copy, ln_tuning_layers, computes the output. Keeping both lets the adapter be switched off (the alignment
/// reference) and saved alone; state-dict keys are PEFT's (…input_layernorm.ln_tuning_layers.weight).
/// </summary>
public sealed class LnTuningLayer : nn.Module<Tensor, Tensor>, IAdapterLayer
{
    private readonly nn.Module<Tensor, Tensor> base_layer;
    private readonly nn.Module<Tensor, Tensor> ln_tuning_layers;

    public LnTuningLayer(nn.Module<Tensor, Tensor> norm) : base(nameof(LnTuningLayer))
    {
        base_layer = norm;
        ln_tuning_layers = Copy(norm);
        RegisterComponents();
    }

    public bool AdapterEnabled { get; set; } = true;

    /// <summary>The tuned copy (an RmsNorm or a LayerNorm).</summary>
    public nn.Module<Tensor, Tensor> Tuned => ln_tuning_layers;

    public override Tensor forward(Tensor x) => AdapterEnabled ? ln_tuning_layers.call(x) : base_layer.call(x);

    /// <summary>Whether the layer can be tuned: the model's RmsNorm and LayerNorm.</summary>
    public static bool CanWrap(nn.Module module) => module is RmsNorm or LayerNorm;

    private static nn.Module<Tensor, Tensor> Copy(nn.Module<Tensor, Tensor> norm)
    {
        using var _ = no_grad();
        switch (norm)
        {
            case RmsNorm rms:
                var rmsCopy = new RmsNorm(rms.Weight.shape[0], rms.Eps);
                rmsCopy.to(rms.Weight.dtype).to(rms.Weight.device);
                rmsCopy.Weight.copy_(rms.Weight);
                return rmsCopy;
            case LayerNorm layer:
                var layerCopy = nn.LayerNorm(layer.normalized_shape, layer.eps, layer.elementwise_affine, bias: layer.bias is not null,
                    device: layer.weight?.device, dtype: layer.weight?.dtype);
                if (layer.weight is not null) layerCopy.weight!.copy_(layer.weight);
                if (layer.bias is not null) layerCopy.bias!.copy_(layer.bias);
                return layerCopy;
            default:
                throw new ArgumentException($"LayerNorm tuning wraps an RmsNorm or a LayerNorm, not a {norm.GetType().Name}.");
        }
    }
}
