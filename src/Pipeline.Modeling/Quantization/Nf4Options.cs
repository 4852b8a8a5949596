using Pipeline.Modeling.Adapters;

namespace Pipeline.Modeling.Quantization;

/// <summary>How the frozen base weights of QLoRA are stored (the defaults are QLoRA's and bitsandbytes').</summary>
public sealed record Nf4Options
{
    /// <summary>Weights per absmax scale: 64, as QLoRA and bitsandbytes' quantize_4bit use.</summary>
    public int BlockSize { get; init; } = 64;

    /// <summary>
    /// Quantize the fp32 block scales themselves to 8 bits (QLoRA's "double quantization"): saves
    /// 3 bytes per 64 weights (0.375 bits per parameter) for an error far below the 4-bit one.
    /// </summary>
    public bool DoubleQuantization { get; init; } = true;

    /// <summary>Scales per second-level fp32 scale when <see cref="DoubleQuantization"/>: 256, as bitsandbytes.</summary>
    public int ScaleBlockSize { get; init; } = 256;

    /// <summary>
    /// Store every linear layer except lm_head in NF4, not only the LoRA targets: what transformers'
    /// load_in_4bit does (lm_head stays in full precision), and where QLoRA's memory saving comes from.
    /// </summary>
    public bool QuantizeNonTargetLinears { get; init; } = true;

    public void Validate()
    {
        if (BlockSize < 2 || BlockSize % 2 != 0)
            throw new AdapterConfigException($"nf4: block_size: {BlockSize} must be an even number of at least 2 (two 4-bit codes share a byte); QLoRA uses 64.");
        if (ScaleBlockSize < 1)
            throw new AdapterConfigException($"nf4: scale_block_size: {ScaleBlockSize} must be at least 1; bitsandbytes uses 256.");
    }
}
