using Pipeline.Training.Loop;
using Pipeline.Training.Tests.Support;

namespace Pipeline.Training.Tests.Loop;

public sealed class ParameterGroupsTests
{
    [Theory]
    [InlineData("model.layers.0.self_attn.q_proj.weight", new long[] { 32, 32 }, true)]
    [InlineData("model.embed_tokens.weight", new long[] { 300, 32 }, true)]
    [InlineData("lm_head.weight", new long[] { 300, 32 }, true)]
    [InlineData("model.layers.0.self_attn.q_proj.bias", new long[] { 32 }, false)]
    [InlineData("model.layers.0.input_layernorm.weight", new long[] { 32 }, false)]
    [InlineData("model.norm.weight", new long[] { 32 }, false)]
    [InlineData("transformer.h.0.ln_1.weight", new long[] { 32 }, false)]
    [InlineData("score.weight", new long[] { 1, 32 }, true)]
    public void Norms_biases_and_vectors_are_exempt_from_weight_decay(string name, long[] shape, bool decayed) =>
        Assert.Equal(decayed, ParameterGroups.IsDecayed(name, shape));

    [Fact]
    public void A_tiny_llama_splits_into_matrices_and_norm_gains()
    {
        using var model = TinyModels.Create(TinyTokenizer.BytesOnly);
        var (decay, noDecay) = ParameterGroups.Split(model.named_parameters().Select(p => (p.name, p.parameter)));
        // 1 layer: embeddings, q/k/v/o, gate/up/down are matrices; 2 layer norms and the final norm are not.
        Assert.Equal(8, decay.Count);
        Assert.Equal(["model.layers.0.input_layernorm.weight", "model.layers.0.post_attention_layernorm.weight", "model.norm.weight"],
            noDecay.Select(p => p.Name).Order());
    }
}
