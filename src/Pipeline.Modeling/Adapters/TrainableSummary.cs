using System.Globalization;
using Pipeline.Modeling.Quantization;
using TorchSharp;

namespace Pipeline.Modeling.Adapters;

/// <summary>How many parameters train, out of how many (PEFT's print_trainable_parameters).</summary>
public sealed record TrainableSummary(long TrainableParameters, long TotalParameters)
{
    public double TrainablePercent => TotalParameters == 0 ? 0 : 100.0 * TrainableParameters / TotalParameters;

    /// <summary>
    /// Counts <paramref name="model"/>'s parameters (each once) and those with requires_grad. NF4 weights are
    /// buffers, not parameters; they count with their logical element count, as PEFT counts 4-bit weights.
    /// </summary>
    public static TrainableSummary Of(torch.nn.Module model)
    {
        long trainable = 0, total = 0;
        foreach (var parameter in model.parameters())
        {
            total += parameter.numel();
            if (parameter.requires_grad) trainable += parameter.numel();
        }
        foreach (var (_, module) in model.named_modules())
            if (module is Nf4Linear nf4) total += nf4.InFeatures * nf4.OutFeatures;
        return new TrainableSummary(trainable, total);
    }

    /// <summary>"trainable params: 294,912 || all params: 124,734,720 || trainable%: 0.2364"</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"trainable params: {TrainableParameters:N0} || all params: {TotalParameters:N0} || trainable%: {TrainablePercent:F4}");
}
