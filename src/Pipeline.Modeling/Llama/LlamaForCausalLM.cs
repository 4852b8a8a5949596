using Pipeline.Modeling.Configuration;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Llama;

/// <summary>
/// Llama, Mistral and Qwen2 causal LM with transformers' parameter names
/// (model.embed_tokens, model.layers.{i}.self_attn.q_proj, …, model.norm, lm_head).
/// </summary>
public sealed class LlamaForCausalLM : CausalLanguageModel
{
    private readonly LlamaModel model;
    private nn.Module<Tensor, Tensor> lm_head;

    public LlamaForCausalLM(ModelConfig config) : base(nameof(LlamaForCausalLM), config)
    {
        if (config.Architecture != ModelArchitecture.Llama)
            throw new ModelConfigException($"LlamaForCausalLM cannot be built from a {config.ModelType} config.");
        model = new LlamaModel(config);
        lm_head = config.TieWordEmbeddings
            ? new TiedLmHead(() => model.EmbedTokens.weight!)
            : nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false);
        RegisterComponents();
    }

    public override nn.Module<Tensor, Tensor> LmHead => lm_head;

    public override Tensor EmbedTokens(Tensor inputIds) => model.EmbedTokens.call(inputIds);   // (B, T, hidden)

    protected override Tensor ComputeHiddenStates(Tensor inputEmbeddings, Tensor? attentionMask, KvCache? cache, Tensor? positionIds) =>
        positionIds is null ? model.call(inputEmbeddings, attentionMask, cache) : model.forward(inputEmbeddings, attentionMask, cache, positionIds);

    // rotary_emb.inv_freq is a non-persistent buffer that old checkpoints still carry; a tied lm_head.weight
    // is the embedding matrix again. transformers ignores both.
    public override bool IsIgnoredCheckpointKey(string key) =>
        key.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal) || (Config.TieWordEmbeddings && key == "lm_head.weight");
}
