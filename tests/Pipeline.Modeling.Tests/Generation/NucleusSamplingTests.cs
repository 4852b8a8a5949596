using Pipeline.Modeling.Generation;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Tests.Generation;

/// <summary>Draws without a sort land only in <see cref="LogitsProcessing.TopP"/>'s nucleus, as often as its renormalized probabilities say.</summary>
public sealed class NucleusSamplingTests
{
    // Row 0 peaked: 0.6, 0.25, 0.1, then five of 0.01 → the nucleus of p 0.9 is the first three: 0.632, 0.263, 0.105 renormalized.
    // Row 1 flat: eight of 0.125 → the nucleus of p 0.9 is all eight.
    // Row 2 a tail: 0.32, 0.3, 0.3, 0.04, … → p 0.9 keeps the first three (the mass before the fourth is 0.92): 0.348, 0.326, 0.326.
    private static readonly float[][] Rows =
    [
        [0.01f, 0.6f, 0.01f, 0.1f, 0.01f, 0.25f, 0.01f, 0.01f],
        [0.125f, 0.125f, 0.125f, 0.125f, 0.125f, 0.125f, 0.125f, 0.125f],
        [0.005f, 0.32f, 0.02f, 0.3f, 0.04f, 0.005f, 0.3f, 0.01f],
    ];

    private static readonly double[][] Nucleus =
    [
        [0, 0.6 / 0.95, 0, 0.1 / 0.95, 0, 0.25 / 0.95, 0, 0],
        [0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125],
        [0, 0.32 / 0.92, 0, 0.3 / 0.92, 0, 0, 0.3 / 0.92, 0],
    ];

    private const int Draws = 4000;

    /// <summary>Each hand-made row repeated <see cref="Draws"/> times, drawn once: (3·Draws) tokens.</summary>
    private static long[] DrawMany(Func<Tensor, Generator, Tensor> draw, ulong seed)
    {
        using var random = new Generator(seed);
        using var probabilities = tensor(Rows.SelectMany(r => Enumerable.Repeat(r, Draws).SelectMany(x => x)).ToArray(), [3L * Draws, 8]);
        using var tokens = draw(probabilities, random);
        return tokens.data<long>().ToArray();
    }

    private static void AssertFrequencies(long[] tokens, double[][] expected)
    {
        for (var row = 0; row < expected.Length; row++)
        {
            var drawn = tokens.Skip(row * Draws).Take(Draws).ToArray();
            for (var token = 0; token < 8; token++)
            {
                var frequency = drawn.Count(t => t == token) / (double)Draws;
                if (expected[row][token] == 0) Assert.True(frequency == 0, $"row {row}: token {token} is outside the nucleus but was drawn {frequency:P1} of the time");
                // A frequency's standard deviation over 4,000 draws is at most 0.008: 0.03 is over 3.5 of them.
                else Assert.True(Math.Abs(frequency - expected[row][token]) < 0.03, $"row {row}, token {token}: drawn {frequency:0.000}, expected {expected[row][token]:0.000}");
            }
        }
    }

    [Fact]
    public void Top_p_draws_only_the_nucleus_in_proportion_to_its_renormalized_probabilities()
    {
        var rounds = 0;
        var tokens = DrawMany((probabilities, random) => NucleusSampling.TopP(probabilities, tensor(0.9f), random, out rounds), seed: 3);
        AssertFrequencies(tokens, Nucleus);
        Assert.InRange(rounds, 2, NucleusSampling.MaxRounds);   // row 0 draws a token outside its nucleus 5% of the time: a second round
    }

    [Fact]
    public void The_sort_the_undecided_rows_fall_back_to_draws_the_same_distribution()
    {
        var tokens = DrawMany((probabilities, random) => NucleusSampling.TopP(probabilities, tensor(0.9f), random, out _, maxRounds: 0), seed: 4);
        AssertFrequencies(tokens, Nucleus);
    }

    [Fact]
    public void A_row_at_top_p_one_draws_from_every_token_and_categorical_never_draws_a_zero_weight()
    {
        var everything = Rows.Select(r => r.Select(x => (double)x).ToArray()).ToArray();
        AssertFrequencies(DrawMany((probabilities, random) => NucleusSampling.TopP(probabilities, tensor(1.0f), random, out _), seed: 5), everything);
        AssertFrequencies(DrawMany((probabilities, random) => NucleusSampling.Categorical(probabilities, random), seed: 6), everything);
        using var random = new Generator(7);
        using var sparse = tensor(new float[] { 0, 1, 0, 3, 0 }, [1, 5]).expand(2000, 5);
        var drawn = NucleusSampling.Categorical(sparse, random).data<long>().ToArray();
        Assert.All(drawn, t => Assert.True(t is 1 or 3, $"token {t} has weight 0"));
        Assert.InRange(drawn.Count(t => t == 3) / 2000.0, 0.72, 0.78);
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.9)]
    [InlineData(0.99)]
    public void Random_rows_from_peaked_to_flat_draw_inside_the_sorted_filters_nucleus(double p)
    {
        using var generator = new Generator(11);
        // Rows from peaked to flat: the scale of each row's logits runs from 4 down to 0.1, each row 50 times.
        using var logits = (randn([12, 200], generator: generator) * linspace(4, 0.1, 12).unsqueeze(1)).repeat_interleave(50, dim: 0);
        var kept = LogitsProcessing.TopP(logits, p).isfinite();                                // (600, 200)
        var tokens = NucleusSampling.TopP(logits.softmax(1), tensor((float)p), generator, out var rounds);
        var inside = kept.gather(1, tokens.unsqueeze(1)).data<bool>().ToArray();
        Assert.All(inside, Assert.True);
        Assert.InRange(rounds, 1, NucleusSampling.MaxRounds);
    }

    [Fact]
    public void Rows_keep_their_own_top_p()
    {
        using var random = new Generator(8);
        using var probabilities = tensor(Rows[0], [1, 8]).expand(2 * Draws, 8);
        var p = cat([full(Draws, 1, 0.5f), full(Draws, 1, 1.0f)]);                            // the first half keeps token 1 alone
        var tokens = NucleusSampling.TopP(probabilities, p, random).data<long>().ToArray();
        Assert.All(tokens[..Draws], t => Assert.Equal(1, t));
        Assert.Equal(8, tokens[Draws..].Distinct().Count());
    }
}
