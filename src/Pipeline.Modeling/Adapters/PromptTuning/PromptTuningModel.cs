using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Adapters.PromptTuning;

/// <summary>
/// A frozen causal LM behind a trainable soft prompt (prompt tuning's embeddings or P-tuning's prompt encoder). Callers use it like the base model (same input, same
/// Config, same cache): the virtual tokens are prepended on the first pass (with a cache they stay in it),
/// the attention mask gains n leading ones and the labels n leading -100s. Logits and hidden states are
/// returned for the real tokens only, aligned with the input ids; the loss is computed over the whole
/// sequence as PEFT does, so the last virtual token's prediction of the first real token counts.
/// </summary>
public sealed class PromptTuningModel : CausalLanguageModel
{
    private readonly CausalLanguageModel base_model;
    private readonly SoftPrompt prompt_encoder;

    public PromptTuningModel(CausalLanguageModel baseModel, SoftPrompt prompt) : base(nameof(PromptTuningModel), baseModel.Config)
    {
        using (NewDisposeScope())
        using (no_grad())
        {
            var width = prompt.VirtualTokens().shape[1];
            if (width != baseModel.Config.HiddenSize)
                throw new ArgumentException($"The prompt embeddings are {width} wide but the model's hidden size is {baseModel.Config.HiddenSize}.");
        }
        base_model = baseModel;
        prompt_encoder = prompt;
        RegisterComponents();
    }

    public CausalLanguageModel BaseModel => base_model;

    public SoftPrompt Prompt => prompt_encoder;

    public override nn.Module<Tensor, Tensor> LmHead => base_model.LmHead;

    public override Tensor EmbedTokens(Tensor inputIds) => base_model.EmbedTokens(inputIds);

    public override bool IsTransposedInCheckpoint(string parameterName) => base_model.IsTransposedInCheckpoint(parameterName);

    public override bool IsIgnoredCheckpointKey(string key) => base_model.IsIgnoredCheckpointKey(key);

    public override CausalLmOutput forward(CausalLmInput input)
    {
        var embeddings = input.InputEmbeddings ?? EmbedTokens(input.InputIds
            ?? throw new ArgumentException("A forward pass needs InputIds or InputEmbeddings."));    // (B, T, hidden)
        var prepend = input.Cache is null || input.Cache.Length == 0;
        var output = base_model.call(new CausalLmInput(
            InputIds: null,
            // The cache (if any) holds the virtual positions, so the mask always covers them.
            // A 4-D mask was built by the caller over every column of the cache, virtual ones included.
            AttentionMask: input.AttentionMask is null || input.AttentionMask.dim() == 4 ? input.AttentionMask : prompt_encoder.ExtendMask(input.AttentionMask),
            Cache: input.Cache,
            Labels: input.Labels is null ? null : prepend ? prompt_encoder.ExtendLabels(input.Labels) : input.Labels,
            InputEmbeddings: prepend ? prompt_encoder.call(embeddings) : embeddings,                    // (B, n + T, hidden)
            PositionIds: input.PositionIds,
            LogitsToKeep: input.LogitsToKeep));
        if (!prepend) return output;
        var n = prompt_encoder.NumVirtualTokens;
        var logits = input.LogitsToKeep > 0 ? output.Logits : output.Logits[.., n.., ..];
        return new CausalLmOutput(logits, output.Loss, output.HiddenStates[.., n.., ..]);   // (B, T, ·)
    }

    protected override Tensor ComputeHiddenStates(Tensor inputEmbeddings, Tensor? attentionMask, KvCache? cache, Tensor? positionIds) =>
        forward(new CausalLmInput(null, attentionMask, cache, null, inputEmbeddings, positionIds)).HiddenStates;
}
