using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Training.Loop;

/// <summary>
/// Float32 master copies of parameters the model holds in bfloat16 (TorchSharp has no autocast, so
/// "bf16 training" means a bf16 model). AdamW steps the masters and the result is rounded back into the
/// model: with bf16's 8-bit mantissa an update below ~0.4% of a weight would otherwise round away, and at
/// fine-tuning learning rates most updates are that small. Float32 parameters are optimized in place.
/// </summary>
public sealed class MasterWeights : IDisposable
{
    private readonly IReadOnlyList<(string Name, Parameter Model, Parameter Master)> pairs;

    public MasterWeights(IReadOnlyList<(string Name, Parameter Parameter)> trainable)
    {
        pairs = [.. trainable.Select(p =>
        {
            if (p.Parameter.dtype == ScalarType.Float32) return (p.Name, p.Parameter, p.Parameter);
            using var _ = no_grad();
            var master = new Parameter(p.Parameter.detach().to(ScalarType.Float32).clone(), requires_grad: true);
            return (p.Name, p.Parameter, master);
        })];
        Optimized = [.. pairs.Select(p => (p.Name, p.Master))];
    }

    /// <summary>What the optimizer updates and checkpoints store, in the given order.</summary>
    public IReadOnlyList<(string Name, Parameter Parameter)> Optimized { get; }

    /// <summary>True when at least one parameter has a separate float32 master.</summary>
    public bool IsMixed => pairs.Any(p => !ReferenceEquals(p.Model, p.Master));

    /// <summary>Clears the model's gradients (the masters' are cleared by the optimizer).</summary>
    public void ZeroModelGradients()
    {
        foreach (var (_, model, master) in pairs)
        {
            if (ReferenceEquals(model, master)) continue;
            using var grad = model.grad;
            grad?.zero_();
        }
    }

    /// <summary>Copies each model gradient into its master's (float32) gradient.</summary>
    public void GradientsToMasters()
    {
        using var _ = no_grad();
        foreach (var (_, model, master) in pairs)
        {
            if (ReferenceEquals(model, master)) continue;
            using var source = model.grad;
            if (source is null) continue;
            using var target = master.grad;
            if (target is null) master.grad = source.to(ScalarType.Float32).DetachFromDisposeScope();
            else target.copy_(source);
        }
    }

    /// <summary>Rounds the updated masters back into the model's parameters.</summary>
    public void MastersToModel()
    {
        using var _ = no_grad();
        foreach (var (_, model, master) in pairs)
            if (!ReferenceEquals(model, master)) model.copy_(master);
    }

    public void Dispose()
    {
        foreach (var (_, model, master) in pairs)
            if (!ReferenceEquals(model, master)) master.Dispose();
    }
}
