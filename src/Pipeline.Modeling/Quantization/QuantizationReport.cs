using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Quantization;

/// <summary>
/// What quantizing cost and saved, measured against the original weights: storage of the quantized base
/// against its original dtype, and the reconstruction error of the dequantized weights.
/// </summary>
/// <param name="Modules">Linear layers quantized.</param>
/// <param name="Parameters">Weights quantized (the logical element count, not the packed bytes).</param>
/// <param name="OriginalBytes">Their storage in the original dtype.</param>
/// <param name="QuantizedBytes">Their storage now: packed codes plus (quantized) scales.</param>
/// <param name="MeanAbsError">Mean |dequantized − original| over all weights (in float32).</param>
/// <param name="MaxAbsError">Largest |dequantized − original|.</param>
/// <param name="MeanAbsWeight">Mean |original|, the scale the error is relative to.</param>
/// <param name="Description">The format, e.g. "NF4, block 64, double-quantized scales (8-bit, block 256)".</param>
public sealed record QuantizationReport(
    int Modules,
    long Parameters,
    long OriginalBytes,
    long QuantizedBytes,
    double MeanAbsError,
    double MaxAbsError,
    double MeanAbsWeight,
    string Description)
{
    public double BytesPerParameter => Parameters == 0 ? 0 : (double)QuantizedBytes / Parameters;

    public long SavedBytes => OriginalBytes - QuantizedBytes;

    /// <summary>Mean absolute error relative to the mean absolute weight.</summary>
    public double RelativeError => MeanAbsWeight == 0 ? 0 : MeanAbsError / MeanAbsWeight;

    /// <summary>Measures one quantized tensor against its original.</summary>
    public static QuantizationReport Measure(Tensor original, Nf4Weight quantized)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var reference = original.detach().to(ScalarType.Float32);
        var error = (Nf4Quantizer.Dequantize(quantized, ScalarType.Float32) - reference).abs();
        return new QuantizationReport(1, original.numel(), original.numel() * original.ElementSize, quantized.StorageBytes,
            error.mean().item<float>(), error.max().item<float>(), reference.abs().mean().item<float>(), Describe(quantized));
    }

    /// <summary>Totals over modules: errors are weighted by parameter count, the maximum is the largest.</summary>
    public static QuantizationReport Combine(IReadOnlyCollection<QuantizationReport> reports)
    {
        var parameters = reports.Sum(r => r.Parameters);
        double Weighted(Func<QuantizationReport, double> value) =>
            parameters == 0 ? 0 : reports.Sum(r => value(r) * r.Parameters) / parameters;
        return new QuantizationReport(reports.Sum(r => r.Modules), parameters, reports.Sum(r => r.OriginalBytes),
            reports.Sum(r => r.QuantizedBytes), Weighted(r => r.MeanAbsError), reports.Count == 0 ? 0 : reports.Max(r => r.MaxAbsError),
            Weighted(r => r.MeanAbsWeight), reports.FirstOrDefault()?.Description ?? "nothing quantized");
    }

    public static string Describe(Nf4Weight weight) => weight.IsDoubleQuantized
        ? $"NF4, block {weight.BlockSize}, double-quantized scales (dynamic 8-bit, block {weight.ScaleBlockSize})"
        : $"NF4, block {weight.BlockSize}, fp32 scales";

    /// <summary>One paragraph for logs and reports.</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        var originalPerParameter = Parameters == 0 ? 0 : (double)OriginalBytes / Parameters;
        return string.Create(c,
            $"{Description}: {Modules} linear layers, {Parameters:N0} weights; {BytesPerParameter:F4} bytes/weight " +
            $"(was {originalPerParameter:F0}); {Megabytes(OriginalBytes)} → {Megabytes(QuantizedBytes)}, saved {Megabytes(SavedBytes)} " +
            $"({(OriginalBytes == 0 ? 0 : 100.0 * SavedBytes / OriginalBytes):F1}%); |error| mean {MeanAbsError:G4} " +
            $"({100 * RelativeError:F2}% of mean |w| {MeanAbsWeight:G4}), max {MaxAbsError:G4}");
    }

    private static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:F2} MB");
}
