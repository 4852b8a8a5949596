using Pipeline.Modeling;
using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Evaluation;
using Pipeline.Modeling.Quantization;

namespace Pipeline.Cli.Commands.Model;

/// <summary>What storing a model's base in NF4 costs and saves.</summary>
/// <param name="Report">The quantized layers: count, weights, bytes before and after, reconstruction error.</param>
/// <param name="ModelBytesBefore">Bytes of every parameter and buffer of the model before quantizing.</param>
/// <param name="ModelBytesAfter">The same after: NF4 layers plus what stays in full precision (embeddings, norms, lm_head).</param>
/// <param name="Before">Perplexity on the evaluation data before quantizing, when data was given.</param>
/// <param name="After">Perplexity on the same data with the NF4 base.</param>
public sealed record QuantizationAssessmentResult(
    QuantizationReport Report,
    long Parameters,
    long ModelBytesBefore,
    long ModelBytesAfter,
    PerplexityResult? Before,
    PerplexityResult? After);

/// <summary>
/// Quantizes a loaded model's linear layers (except lm_head) to NF4 in place, as QLoRA stores its frozen base, and
/// measures storage, weight error and, given evaluation data, the perplexity before and after.
/// </summary>
public static class QuantizationAssessment
{
    public static QuantizationAssessmentResult Run(CausalLanguageModel model, Nf4BaseOptions options,
        IReadOnlyList<ScoredSequence>? evaluation = null, PerplexityOptions? perplexity = null)
    {
        var parameters = model.parameters().Sum(p => p.numel());
        var before = ModelBytes(model);
        var perplexityBefore = evaluation is null ? null : PerplexityEvaluator.Evaluate(model, evaluation, perplexity ?? new());
        var report = Nf4BaseQuantizer.Quantize(model, options);
        var perplexityAfter = evaluation is null ? null : PerplexityEvaluator.Evaluate(model, evaluation, perplexity ?? new());
        return new QuantizationAssessmentResult(report, parameters, before, ModelBytes(model), perplexityBefore, perplexityAfter);
    }

    /// <summary>Storage of the model's tensors: parameters and buffers (NF4 codes and scales are buffers).</summary>
    public static long ModelBytes(CausalLanguageModel model) =>
        model.parameters().Sum(p => p.numel() * p.ElementSize) + model.buffers().Sum(b => b.numel() * b.ElementSize);
}
