using TorchSharp;

namespace Pipeline.Modeling.Adapters;

/// <summary>Switches every adapter layer of a model (any <see cref="IAdapterLayer"/>) off and on again.</summary>
public static class AdapterLayers
{
    /// <summary>Every adapter layer below <paramref name="model"/>, in module order.</summary>
    public static IReadOnlyList<IAdapterLayer> Of(torch.nn.Module model) => [.. model.named_modules().Select(m => m.module).OfType<IAdapterLayer>()];

    /// <summary>Switches every adapter off until the returned scope is disposed: the model then computes its base's outputs.</summary>
    public static IDisposable Disable(torch.nn.Module model)
    {
        var layers = Of(model).Where(l => l.AdapterEnabled).ToList();
        foreach (var layer in layers) layer.AdapterEnabled = false;
        return new Scope(layers);
    }

    private sealed class Scope(List<IAdapterLayer> layers) : IDisposable
    {
        public void Dispose()
        {
            foreach (var layer in layers) layer.AdapterEnabled = true;
        }
    }
}
