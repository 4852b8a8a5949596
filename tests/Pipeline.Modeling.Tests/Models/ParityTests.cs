using Pipeline.Modeling.Configuration;
using Pipeline.Modeling.Tests.Reference;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Tests.Models;

/// <summary>The modules' logits equal the textbook equations (ReferenceTransformer) on the same weights.</summary>
public sealed class ParityTests
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string> Configs => ["llama-gqa", "qwen2-biases", "llama3-rope-scaling", "mistral-sliding-window", "gpt2"];

    private static ModelConfig ConfigNamed(string name) => name switch
    {
        "llama-gqa" => TinyModels.Llama(),
        "qwen2-biases" => TinyModels.Qwen2(),
        "llama3-rope-scaling" => TinyModels.Llama3Scaled(),
        "mistral-sliding-window" => TinyModels.MistralWindowed(),
        "gpt2" => TinyModels.Gpt2(),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void Full_forward_matches_the_reference(string configName)
    {
        var config = ConfigNamed(configName);
        using var folder = new TempFolder();
        using var model = TinyModels.Create(config);
        var weights = TinyModels.CheckpointWeights(model, folder.Path);
        long[][] rows = [TinyModels.RandomIds(9, 1), TinyModels.RandomIds(9, 2)];

        using var _ = no_grad();
        var logits = model.Forward(TinyModels.Ids(rows)).Logits;                               // (2, 9, V)
        var expected = ReferenceTransformer.Logits(config, weights, rows);

        Assert.Equal([2, 9, TinyModels.Vocab], logits.shape);
        Assert.True(expected.abs().max().item<double>() > 0.5, "logits too small for the comparison to mean anything");
        AssertClose(expected, logits);
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void Incremental_decoding_with_the_cache_equals_the_full_forward(string configName)
    {
        using var model = TinyModels.Create(ConfigNamed(configName));
        var ids = TinyModels.Ids(TinyModels.RandomIds(8, 3), TinyModels.RandomIds(8, 4));     // (2, 8)

        using var _ = no_grad();
        var full = model.Forward(ids).Logits;                                                 // (2, 8, V)
        using var cache = model.CreateCache();
        var steps = new List<Tensor> { model.Forward(ids[.., ..5], cache: cache).Logits };     // prefill 5 tokens
        for (var t = 5; t < 8; t++) steps.Add(model.Forward(ids[.., t..(t + 1)], cache: cache).Logits);

        Assert.Equal(8, cache.Length);
        AssertClose(full, cat(steps, 1));
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void Left_padded_rows_give_the_unpadded_logits_and_match_the_reference(string configName)
    {
        var config = ConfigNamed(configName);
        using var folder = new TempFolder();
        using var model = TinyModels.Create(config);
        var weights = TinyModels.CheckpointWeights(model, folder.Path);
        var shortRow = TinyModels.RandomIds(5, 5);
        long[][] rows = [[0, 0, 0, .. shortRow], TinyModels.RandomIds(8, 6)];
        long[][] mask = [[0, 0, 0, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 1]];

        using var _ = no_grad();
        var padded = model.Forward(TinyModels.Ids(rows), TinyModels.Ids(mask)).Logits;        // (2, 8, V)
        var alone = model.Forward(TinyModels.Ids(shortRow)).Logits;                          // (1, 5, V)

        Assert.False(padded.isnan().any().item<bool>(), "a fully masked padding query produced NaN");
        AssertClose(alone[0], padded[0, 3..]);
        var expected = ReferenceTransformer.Logits(config, weights, rows, mask);
        AssertClose(expected[0, 3..], padded[0, 3..]);
        AssertClose(expected[1], padded[1]);
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void Left_padded_batch_decodes_incrementally_like_the_unpadded_row(string configName)
    {
        using var model = TinyModels.Create(ConfigNamed(configName));
        var shortRow = TinyModels.RandomIds(6, 8);
        long[][] rows = [[0, 0, .. shortRow], TinyModels.RandomIds(8, 9)];
        long[] mask0 = [0, 0, 1, 1, 1, 1, 1, 1];

        using var _ = no_grad();
        var alone = model.Forward(TinyModels.Ids(shortRow)).Logits;                          // (1, 6, V)
        using var cache = model.CreateCache();
        var ids = TinyModels.Ids(rows);
        var mask = TinyModels.Ids(mask0, [1, 1, 1, 1, 1, 1, 1, 1]);
        var prefill = model.Forward(ids[.., ..4], mask[.., ..4], cache).Logits;
        var steps = new List<Tensor> { prefill };
        for (var t = 4; t < 8; t++) steps.Add(model.Forward(ids[.., t..(t + 1)], mask[.., ..(t + 1)], cache).Logits);

        AssertClose(alone[0], cat(steps, 1)[0, 2..]);
    }

    internal static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        var difference = (expected.to(ScalarType.Float64) - actual.to(ScalarType.Float64)).abs().max().item<double>();
        Assert.True(difference <= Tolerance, $"largest difference {difference:E2} exceeds {Tolerance:E0}");
    }
}
