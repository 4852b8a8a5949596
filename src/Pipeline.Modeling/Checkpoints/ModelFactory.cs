using Pipeline.Modeling.Configuration;
using Pipeline.Modeling.Gpt2;
using Pipeline.Modeling.Llama;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Checkpoints;

/// <summary>Builds models from a config: empty shells for loading, or freshly initialized for pretraining.</summary>
public static class ModelFactory
{
    /// <summary>Standard deviation of weight init (transformers' initializer_range default).</summary>
    public const double InitializerRange = 0.02;

    /// <summary>The module for the config's architecture, with TorchSharp's default init, on the CPU in float32.</summary>
    public static CausalLanguageModel Create(ModelConfig config) => config.Architecture switch
    {
        ModelArchitecture.Llama => new LlamaForCausalLM(config),
        ModelArchitecture.Gpt2 => new GPT2LMHeadModel(config),
        _ => throw new ModelConfigException($"architecture {config.Architecture} has no model class."),
    };

    /// <summary>
    /// A model initialized as transformers does: Linear and Embedding weights ~ N(0, 0.02), biases 0, norm
    /// weights 1 (LayerNorm biases 0); GPT-2's residual projections (c_proj) use 0.02/√(2·layers) so the
    /// residual stream's variance does not grow with depth. The same seed gives the same weights.
    /// </summary>
    public static CausalLanguageModel CreateRandom(ModelConfig config, long seed, Device? device = null, ScalarType? dtype = null)
    {
        var model = Create(config);
        var generator = new Generator((ulong)seed);
        using (no_grad())
        {
            var residualStd = InitializerRange / Math.Sqrt(2.0 * config.NumLayers);
            foreach (var (name, module) in model.named_modules())
            {
                switch (module)
                {
                    case Linear linear:
                        var std = config.Architecture == ModelArchitecture.Gpt2 && name.EndsWith(".c_proj", StringComparison.Ordinal)
                            ? residualStd : InitializerRange;
                        linear.weight!.normal_(0, std, generator);
                        linear.bias?.zero_();
                        break;
                    case Embedding embedding:
                        embedding.weight!.normal_(0, InitializerRange, generator);
                        break;
                    case LayerNorm layerNorm:
                        layerNorm.weight!.fill_(1);
                        layerNorm.bias?.zero_();
                        break;
                    case RmsNorm rmsNorm:
                        rmsNorm.Weight.fill_(1);
                        break;
                }
            }
        }
        return MoveTo(model, device, dtype);
    }

    /// <summary>Moves the parameters to a device and floating dtype (null: leave as is).</summary>
    public static CausalLanguageModel MoveTo(CausalLanguageModel model, Device? device, ScalarType? dtype)
    {
        if (dtype is { } type) model.to(type);
        if (device is not null) model.to(device);
        return model;
    }
}
