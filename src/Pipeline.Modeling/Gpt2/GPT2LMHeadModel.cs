using Pipeline.Modeling.Configuration;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Gpt2;

/// <summary>GPT-2 with transformers' parameter names (transformer.wte, transformer.h.{i}.attn.c_attn, …); lm_head is tied to wte.</summary>
public sealed class GPT2LMHeadModel : CausalLanguageModel
{
    private static readonly string[] Conv1DWeights = [".attn.c_attn.weight", ".attn.c_proj.weight", ".mlp.c_fc.weight", ".mlp.c_proj.weight"];

    private readonly Gpt2Model transformer;
    private nn.Module<Tensor, Tensor> lm_head;

    public GPT2LMHeadModel(ModelConfig config) : base(nameof(GPT2LMHeadModel), config)
    {
        if (config.Architecture != ModelArchitecture.Gpt2)
            throw new ModelConfigException($"GPT2LMHeadModel cannot be built from a {config.ModelType} config.");
        transformer = new Gpt2Model(config);
        lm_head = new TiedLmHead(() => transformer.TokenEmbeddings.weight!);
        RegisterComponents();
    }

    public override nn.Module<Tensor, Tensor> LmHead => lm_head;

    public override Tensor EmbedTokens(Tensor inputIds) => transformer.TokenEmbeddings.call(inputIds);   // (B, T, hidden)

    protected override Tensor ComputeHiddenStates(Tensor inputEmbeddings, Tensor? attentionMask, KvCache? cache, Tensor? positionIds) =>
        positionIds is null ? transformer.call(inputEmbeddings, attentionMask, cache) : transformer.forward(inputEmbeddings, attentionMask, cache, positionIds);

    public override bool IsTransposedInCheckpoint(string parameterName) =>
        parameterName.StartsWith("transformer.h.", StringComparison.Ordinal)
        && Conv1DWeights.Any(suffix => parameterName.EndsWith(suffix, StringComparison.Ordinal));

    // attn.bias / attn.masked_bias are the causal-mask buffers of older checkpoints; lm_head.weight is wte again.
    public override bool IsIgnoredCheckpointKey(string key) =>
        key.EndsWith(".attn.bias", StringComparison.Ordinal) || key.EndsWith(".attn.masked_bias", StringComparison.Ordinal) || key == "lm_head.weight";
}
