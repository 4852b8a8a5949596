using static TorchSharp.torch;

namespace Pipeline.Modeling.Tests.Models;

/// <summary>A packed row (examples numbered 1, 2, ... in the mask) computes exactly what its examples compute apart.</summary>
public sealed class PackedRowTests
{
    [Theory]
    [MemberData(nameof(ParityTests.Configs), MemberType = typeof(ParityTests))]
    public void Each_packed_example_gets_the_logits_it_gets_alone(string configName)
    {
        var config = configName switch
        {
            "llama-gqa" => TinyModels.Llama(),
            "qwen2-biases" => TinyModels.Qwen2(),
            "llama3-rope-scaling" => TinyModels.Llama3Scaled(),
            "mistral-sliding-window" => TinyModels.MistralWindowed(),
            _ => TinyModels.Gpt2(),
        };
        using var model = TinyModels.Create(config);
        var first = TinyModels.RandomIds(5, 11);
        var second = TinyModels.RandomIds(4, 12);
        var third = TinyModels.RandomIds(6, 13);
        long[][] rows = [[.. first, .. second, 0, 0], [.. third, .. TinyModels.RandomIds(5, 14)]];
        long[][] mask = [[1, 1, 1, 1, 1, 2, 2, 2, 2, 0, 0], [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]];

        using var _ = no_grad();
        var packed = model.Forward(TinyModels.Ids(rows), TinyModels.Ids(mask)).Logits;           // (2, 11, V)

        Assert.False(packed.isnan().any().item<bool>());
        ParityTests.AssertClose(model.Forward(TinyModels.Ids(first)).Logits[0], packed[0, ..5]);
        ParityTests.AssertClose(model.Forward(TinyModels.Ids(second)).Logits[0], packed[0, 5..9]);
        ParityTests.AssertClose(model.Forward(TinyModels.Ids(third)).Logits[0], packed[1, ..6]);
        ParityTests.AssertClose(model.Forward(TinyModels.Ids(rows[1][6..])).Logits[0], packed[1, 6..]);
    }

    [Fact]
    public void Without_the_example_numbers_the_second_example_would_see_the_first()
    {
        // The control for the test above: the same row under a plain padding mask gives different logits, so
        // the equality there comes from the mask and not from examples that happen not to interact.
        using var model = TinyModels.Create(TinyModels.Llama());
        var second = TinyModels.RandomIds(4, 12);
        long[][] rows = [[.. TinyModels.RandomIds(5, 11), .. second]];

        using var _ = no_grad();
        var plain = model.Forward(TinyModels.Ids(rows), TinyModels.Ids([1, 1, 1, 1, 1, 1, 1, 1, 1])).Logits;
        var alone = model.Forward(TinyModels.Ids(second)).Logits;
        Assert.True((plain[0, 5..] - alone[0]).abs().max().item<float>() > 1e-3);
    }
}
