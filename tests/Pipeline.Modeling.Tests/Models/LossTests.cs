using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Tests.Models;

public sealed class LossTests
{
    [Fact]
    public void Shifted_cross_entropy_of_a_hand_made_case()
    {
        // Position 0 predicts labels[1] = 1 from logits [0, 0]: −log(1/2) = ln 2.
        // Position 1 predicts labels[2] = 0 from logits [ln 3, 0]: −log(3/4) = ln(4/3).
        // Position 2 has nothing to predict; labels[0] is never a target.
        var logits = tensor(new float[] { 0, 0, MathF.Log(3), 0, 5, -5 }, [1, 3, 2]);
        var labels = tensor(new long[] { 1, 1, 0 }, [1, 3]);
        Assert.Equal((Math.Log(2) + Math.Log(4.0 / 3)) / 2, CausalLmLoss.Compute(logits, labels).item<float>(), 6);

        var promptMasked = tensor(new long[] { 1, -100, 0 }, [1, 3]);
        Assert.Equal(Math.Log(4.0 / 3), CausalLmLoss.Compute(logits, promptMasked).item<float>(), 6);
    }

    [Fact]
    public void Model_loss_is_the_mean_over_non_ignored_shifted_positions()
    {
        using var model = TinyModels.Create(TinyModels.Llama(layers: 1));
        var ids = TinyModels.Ids(TinyModels.RandomIds(6, 11), TinyModels.RandomIds(6, 12));
        long[][] labelRows = [[-100, -100, -100, 5, 9, 2], [-100, 7, 7, -100, 1, 3]];
        var output = model.Forward(ids, labels: TinyModels.Ids(labelRows));

        // By hand: for each row b and position t with labels[b][t+1] ≠ −100, logsumexp(logits[b,t]) − logits[b,t,label].
        var logits = output.Logits.detach().to(ScalarType.Float64);
        double total = 0;
        var count = 0;
        for (var b = 0; b < 2; b++)
            for (var t = 0; t < 5; t++)
            {
                var label = labelRows[b][t + 1];
                if (label == -100) continue;
                var row = logits[b, t].data<double>().ToArray();
                var max = row.Max();
                total += max + Math.Log(row.Sum(v => Math.Exp(v - max))) - row[label];
                count++;
            }
        Assert.Equal(7, count);
        Assert.Equal(total / count, output.Loss!.item<float>(), 5);
    }
}
