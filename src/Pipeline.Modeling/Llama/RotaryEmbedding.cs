using Pipeline.Modeling.Configuration;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Llama;

/// <summary>
/// Rotary position embedding in transformers' "rotate_half" layout: the head dimension is split in two
/// halves (not interleaved pairs), frequency k rotates elements k and k + headDim/2.
/// Holds no tensors (the frequencies are recomputed on the positions' device), so it adds nothing to
/// the state dict, like transformers' non-persistent inv_freq buffer.
/// </summary>
public sealed class RotaryEmbedding : nn.Module<Tensor, (Tensor Cos, Tensor Sin)>
{
    private readonly float[] inverseFrequencies;

    public RotaryEmbedding(ModelConfig config) : base(nameof(RotaryEmbedding))
    {
        inverseFrequencies = InverseFrequencies(config.HeadDim, config.RopeTheta, config.RopeScaling);
        RegisterComponents();
    }

    /// <summary>
    /// inv_freq[k] = theta^(−2k/headDim), then scaled: linear divides all by the factor; llama3 divides
    /// low frequencies (wavelength above original_context/low_freq_factor) by the factor, keeps high ones
    /// (wavelength below original_context/high_freq_factor) and blends linearly in between.
    /// </summary>
    public static float[] InverseFrequencies(int headDim, double theta, RopeScaling? scaling)
    {
        var frequencies = new float[headDim / 2];
        for (var k = 0; k < frequencies.Length; k++)
        {
            // float32 arithmetic, as transformers computes it.
            var exponent = (float)(2 * k) / headDim;
            var baseFrequency = 1.0f / MathF.Pow((float)theta, exponent);
            frequencies[k] = scaling switch
            {
                RopeScaling.Linear linear => baseFrequency / (float)linear.Factor,
                RopeScaling.Llama3 llama3 => Llama3Scaled(baseFrequency, llama3),
                _ => baseFrequency,
            };
        }
        return frequencies;
    }

    private static float Llama3Scaled(float frequency, RopeScaling.Llama3 s)
    {
        var lowFrequencyWavelength = s.OriginalMaxPositionEmbeddings / s.LowFreqFactor;
        var highFrequencyWavelength = s.OriginalMaxPositionEmbeddings / s.HighFreqFactor;
        var wavelength = 2 * Math.PI / frequency;
        if (wavelength < highFrequencyWavelength) return frequency;
        if (wavelength > lowFrequencyWavelength) return (float)(frequency / s.Factor);
        var smooth = (s.OriginalMaxPositionEmbeddings / wavelength - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor);
        return (float)((1 - smooth) * frequency / s.Factor + smooth * frequency);
    }

    /// <summary>
    /// (B, T) positions → cos and signed sin, each (B, 1, T, headDim) in float32, shaped once per forward for every
    /// layer's <see cref="Apply"/>: the sin's first half is negated, so that rotate_half(x)·sin is roll(x)·signed sin.
    /// </summary>
    public override (Tensor Cos, Tensor Sin) forward(Tensor positionIds)
    {
        var frequencies = Frequencies(positionIds.device);                                     // (headDim/2)
        var angles = positionIds.to(ScalarType.Float32).unsqueeze(-1) * frequencies;           // (B, T, headDim/2)
        var both = cat([angles, angles], dim: -1).unsqueeze(1);                                // (B, 1, T, headDim)
        var sin = both.sin();
        var half = both.shape[^1] / 2;
        sin.narrow(-1, 0, half).neg_();                                                        // [−sin, sin]
        return (both.cos(), sin);
    }

    // Made once per device rather than every forward (a decode step is many small operations); not a buffer, so
    // it stays out of the state dict, and it lives outside every dispose scope.
    private Tensor? frequencyTensor;

    private Tensor Frequencies(Device device)
    {
        if (frequencyTensor is null || frequencyTensor.device != device)
        {
            frequencyTensor?.Dispose();
            frequencyTensor = tensor(inverseFrequencies, device: device).DetachFromDisposeScope();
        }
        return frequencyTensor;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) frequencyTensor?.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>
    /// x·cos + rotate_half(x)·sin for x (B, heads, T, headDim) and <see cref="forward"/>'s cos and signed sin: rotate_half(x)
    /// = [−x₂, x₁] is roll(x)·[−1, 1], so one roll replaces transformers' two slices, negation and concatenation (a decode
    /// step's cost is its operation count); the products are bitwise those of rotate_half.
    /// </summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor signedSin)
    {
        var rotated = x.roll(x.shape[^1] / 2, -1);                  // [x₂, x₁]
        return (x * cos.to(x.dtype)).add_(rotated.mul_(signedSin.to(x.dtype)));
    }
}
