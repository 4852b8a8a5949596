using Pipeline.Modeling.Quantization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Adapters.Lora;

/// <summary>
/// A linear layer with a low-rank update: y = base(x) + scale · B(A(dropout(x))), A (r, in) and B (out, r).
/// The base is a <see cref="Linear"/> or a frozen <see cref="Nf4Linear"/> (QLoRA). Submodule names are
/// PEFT's (base_layer, lora_A, lora_B), so the state-dict keys are PEFT's without the adapter name.
/// Weights are kept in the (out, in) layout of Linear for every architecture; GPT-2's Conv1D (in, out)
/// layout exists only in checkpoints, and LoRA's A and B have the same shapes either way.
/// </summary>
public sealed class LoraLinear : nn.Module<Tensor, Tensor>, IAdapterLayer
{
    private readonly nn.Module<Tensor, Tensor> base_layer;
    private readonly Linear lora_A;
    private readonly Linear lora_B;
    private readonly double dropout;

    /// <param name="generator">Draws A's initial values (null: torch's global generator, as PEFT).</param>
    public LoraLinear(nn.Module<Tensor, Tensor> baseLayer, LoraConfig config, Generator? generator = null) : base(nameof(LoraLinear))
    {
        config.Validate();
        var (inFeatures, outFeatures, device, dtype) = baseLayer switch
        {
            Linear linear => (linear.weight!.shape[1], linear.weight!.shape[0], linear.weight!.device, linear.weight!.dtype),
            Nf4Linear nf4 => (nf4.InFeatures, nf4.OutFeatures, nf4.Weight.Packed.device, nf4.OriginalDtype),
            _ => throw new ArgumentException($"LoRA wraps a Linear or an Nf4Linear, not a {baseLayer.GetType().Name}."),
        };
        base_layer = baseLayer;
        Config = config;
        Rank = config.R;
        Scale = config.Scale;
        dropout = config.Dropout;
        lora_A = nn.Linear(inFeatures, Rank, hasBias: false, device: device, dtype: dtype);
        lora_B = nn.Linear(Rank, outFeatures, hasBias: false, device: device, dtype: dtype);
        InitializeAdapter(generator);
        RegisterComponents();
    }

    public LoraConfig Config { get; }
    public int Rank { get; }
    public double Scale { get; }
    public long InFeatures => lora_A.weight!.shape[1];
    public long OutFeatures => lora_B.weight!.shape[0];

    /// <summary>
    /// Whether forward adds the update (true by default). Off, the layer computes its base alone: the reference policy of
    /// PPO/GRPO/DPO with LoRA is the same module with its adapters off, so the base is in memory once.
    /// </summary>
    public bool AdapterEnabled { get; set; } = true;

    /// <summary>Whether the update is currently added into the base weight (forward then skips the adapter path).</summary>
    public bool Merged { get; private set; }

    public nn.Module<Tensor, Tensor> BaseLayer => base_layer;

    /// <summary>(r, in)</summary>
    public Parameter LoraA => lora_A.weight!;

    /// <summary>(out, r)</summary>
    public Parameter LoraB => lora_B.weight!;

    /// <summary>(…, in) → (…, out)</summary>
    public override Tensor forward(Tensor x)
    {
        var result = base_layer.call(x);
        if (Merged) return AdapterEnabled ? result : throw new InvalidOperationException("A merged LoRA layer cannot compute without its adapter; unmerge it first.");
        if (!AdapterEnabled) return result;
        var adapterInput = nn.functional.dropout(x.to(LoraA.dtype), dropout, training);
        var update = lora_B.call(lora_A.call(adapterInput)) * Scale;                       // (…, out)
        return result + update.to(result.dtype);
    }

    /// <summary>scale · B A, the (out, in) change this adapter makes to the base weight.</summary>
    public Tensor DeltaWeight() => LoraB.matmul(LoraA) * Scale;

    /// <summary>W += scale · B A in place, so inference costs one matmul. Does nothing when already merged.</summary>
    public void Merge()
    {
        if (Merged) return;
        using var _ = no_grad();
        BaseLinear("merge").weight!.add_(DeltaWeight().to(BaseLinear("merge").weight!.dtype));
        Merged = true;
    }

    /// <summary>W −= scale · B A, undoing <see cref="Merge"/> (up to float rounding). Does nothing when not merged.</summary>
    public void Unmerge()
    {
        if (!Merged) return;
        using var _ = no_grad();
        BaseLinear("unmerge").weight!.sub_(DeltaWeight().to(BaseLinear("unmerge").weight!.dtype));
        Merged = false;
    }

    /// <summary>A plain Linear computing what this layer computes: the base weight (dequantized if NF4) plus the update.</summary>
    public Linear ToMergedLinear()
    {
        using var _ = no_grad();
        switch (base_layer)
        {
            case Nf4Linear nf4:
                return nf4.Dequantized(DeltaWeight(), LoraA.dtype);   // the adapter follows the model's dtype
            case Linear linear:
                var weight = linear.weight!;
                var merged = nn.Linear(weight.shape[1], weight.shape[0], hasBias: linear.bias is not null, device: weight.device, dtype: weight.dtype);
                merged.weight!.copy_(Merged ? weight : weight + DeltaWeight().to(weight.dtype));
                if (linear.bias is { } bias) merged.bias!.copy_(bias);
                return merged;
            default:
                throw new InvalidOperationException($"LoRA base {base_layer.GetType().Name} cannot be merged.");
        }
    }

    // PEFT's init: A ~ Kaiming-uniform with a = √5 (nn.Linear's own default: bound = 1/√in), B = 0, so a fresh
    // adapter's update is exactly zero and training starts from the base model.
    private void InitializeAdapter(Generator? generator)
    {
        using var _ = no_grad();
        var bound = 1.0 / Math.Sqrt(InFeatures);
        using var initial = empty(LoraA.shape, ScalarType.Float32).uniform_(-bound, bound, generator);   // on the CPU: same values on any device
        LoraA.copy_(initial);
        LoraB.zero_();
    }

    private Linear BaseLinear(string operation) => base_layer as Linear
        ?? throw new InvalidOperationException(
            $"Cannot {operation} into a {base_layer.GetType().Name}: a 4-bit base cannot hold W + BA without requantizing. " +
            "Use LoraAdapter.MergeAndUnload, which dequantizes the base first.");
}
