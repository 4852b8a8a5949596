using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Adapters.PrefixTuning;

/// <summary>
/// Prefix tuning's parameters, as PEFT's PrefixEncoder: with prefix_projection, n embeddings (n, token_dim) through
/// transform = Linear(token_dim, encoder_hidden) → Tanh → Linear(encoder_hidden, layers·2·token_dim); without it, or
/// loaded for inference, the embedding holds the (n, layers·2·token_dim) keys and values directly. token_dim is the
/// key/value width, kvHeads·headDim (PEFT's rule for grouped-query attention).
/// </summary>
public sealed class PrefixEncoder : nn.Module
{
    private readonly Embedding embedding;
    private readonly Sequential? transform;

    /// <summary>A trainable encoder. Embeddings are N(0, 1) and the MLP's linears nn.Linear's uniform(±1/√in), as in PEFT, drawn from <paramref name="generator"/>.</summary>
    public PrefixEncoder(PrefixTuningConfig config, int layers, int tokenDim, Device device, ScalarType dtype, Generator? generator = null) : base(nameof(PrefixEncoder))
    {
        config.Validate();
        NumVirtualTokens = config.NumVirtualTokens;
        Width = layers * 2L * tokenDim;
        if (config.PrefixProjection)
        {
            var hidden = config.EncoderHiddenSize ?? tokenDim;
            embedding = nn.Embedding(NumVirtualTokens, tokenDim, device: device, dtype: dtype);
            transform = nn.Sequential(nn.Linear(tokenDim, hidden, device: device, dtype: dtype), nn.Tanh(),
                nn.Linear(hidden, Width, device: device, dtype: dtype));
        }
        else
        {
            embedding = nn.Embedding(NumVirtualTokens, Width, device: device, dtype: dtype);
        }
        RegisterComponents();
        Initialize(generator);
    }

    /// <summary>For inference: the saved (n, layers·2·token_dim) keys and values, frozen.</summary>
    public PrefixEncoder(Tensor keyValues) : base(nameof(PrefixEncoder))
    {
        NumVirtualTokens = (int)keyValues.shape[0];
        Width = keyValues.shape[1];
        embedding = nn.Embedding(NumVirtualTokens, Width, device: keyValues.device, dtype: keyValues.dtype);
        using (no_grad()) embedding.weight!.copy_(keyValues);
        embedding.weight!.requires_grad = false;
        RegisterComponents();
    }

    public int NumVirtualTokens { get; }

    /// <summary>layers · 2 · token_dim</summary>
    public long Width { get; }

    public bool HasProjection => transform is not null;

    /// <summary>(n, layers·2·token_dim): what PEFT saves as prompt_embeddings.</summary>
    public Tensor KeyValues() => transform is null ? embedding.weight! : transform.call(embedding.weight!);

    private void Initialize(Generator? generator)
    {
        using var _ = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            using var initial = empty(parameter.shape, ScalarType.Float32);   // on the CPU: same values on any device
            if (name.StartsWith("embedding.", StringComparison.Ordinal)) initial.normal_(0, 1, generator);
            else
            {
                var fanIn = parameter.dim() == 2 ? parameter.shape[1] : FanInOfBias(name);
                var bound = 1.0 / Math.Sqrt(fanIn);
                initial.uniform_(-bound, bound, generator);
            }
            parameter.copy_(initial);
        }
    }

    private long FanInOfBias(string biasName) =>
        named_parameters().First(p => p.name == biasName[..^"bias".Length] + "weight").parameter.shape[1];
}
