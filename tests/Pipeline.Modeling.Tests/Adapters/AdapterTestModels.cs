using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Adapters.Lora;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Tests.Adapters;

internal static class AdapterTestModels
{
    public static CausalLanguageModel Create(string architecture, long seed = 7) =>
        TinyModels.Create(architecture == "gpt2" ? TinyModels.Gpt2() : TinyModels.Llama(), seed);

    /// <summary>LoRA with a seeded A, so every run of a test computes the same numbers.</summary>
    public static IReadOnlyList<string> ApplyLora(CausalLanguageModel model, LoraConfig config, ulong seed = 5)
    {
        using var generator = new Generator(seed);
        return LoraAdapter.Apply(model, config, generator);
    }

    /// <summary>Gives every LoRA B a random value, so the adapters change the output (a fresh B is zero).</summary>
    public static void RandomizeLoraB(CausalLanguageModel model, long seed = 11)
    {
        using var generator = new Generator((ulong)seed);
        using var _ = no_grad();
        foreach (var (_, layer) in LoraAdapter.Layers(model))
            layer.LoraB.normal_(0, 0.2, generator);
    }

    public static Tensor Ids() => TinyModels.Ids(TinyModels.RandomIds(9, 5), TinyModels.RandomIds(9, 6));

    public static Tensor Logits(CausalLanguageModel model, Tensor ids)
    {
        using var _ = no_grad();
        return model.Forward(ids).Logits;
    }

    /// <summary>Copies of the named parameters (to compare after training).</summary>
    public static Dictionary<string, Tensor> Snapshot(nn.Module model) =>
        model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

    /// <summary>A few AdamW steps on the parameters that require gradients, with the LM loss on <paramref name="ids"/>.</summary>
    public static void Train(CausalLanguageModel model, Tensor ids, int steps = 3, double lr = 0.05)
    {
        using var optimizer = optim.AdamW(model.parameters().Where(p => p.requires_grad), lr: lr);
        for (var step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            model.Forward(ids, labels: ids).Loss!.backward();
            optimizer.step();
        }
    }

    public static float MaxAbsDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();
}
