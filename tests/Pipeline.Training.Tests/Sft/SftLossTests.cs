using Pipeline.Data;
using Pipeline.Modeling;
using Pipeline.Tokenizers.ChatTemplates;
using Pipeline.Training.Sft;
using Pipeline.Training.Tests.Support;
using static TorchSharp.torch;

namespace Pipeline.Training.Tests.Sft;

public sealed class SftLossTests
{
    [Fact]
    public void The_loss_is_the_cross_entropy_of_the_assistant_tokens_only_whatever_the_padding()
    {
        var encoder = new SftEncoder(TinyTokenizer.BytesOnly, new ChatMlTemplate(), maxSeqLength: 512);
        var sequences = new[]
        {
            encoder.Encode([ChatMessage.FromUser("hi"), ChatMessage.FromAssistant("yo")]),
            encoder.Encode([ChatMessage.FromUser("hello there"), ChatMessage.FromAssistant("ok")]),
        };
        using var model = TinyModels.Create(TinyTokenizer.BytesOnly, seed: 5);
        var task = new SftTask(model, TinyTokenizer.Pad);

        // Manual: for each sequence alone (no padding), −log p(label[t+1] | ≤ t) over labelled positions, in double.
        double expectedSum = 0;
        var expectedCount = 0;
        foreach (var sequence in sequences)
        {
            using var _ = no_grad();
            var ids = tensor(sequence.InputIds.Select(i => (long)i).ToArray(), [1, sequence.InputIds.Count]);
            var logits = model.Forward(ids).Logits[0].to(ScalarType.Float64).data<double>().ToArray();   // (T, V) flattened
            var vocab = (int)model.Config.VocabSize;
            for (var t = 0; t + 1 < sequence.Labels.Count; t++)
            {
                var target = sequence.Labels[t + 1];
                if (target == CausalLmLoss.IgnoreIndex) continue;
                var row = logits.AsSpan(t * vocab, vocab);
                var max = double.NegativeInfinity;
                foreach (var v in row) max = Math.Max(max, v);
                double sumExp = 0;
                foreach (var v in row) sumExp += Math.Exp(v - max);
                expectedSum += -(row[(int)target] - max - Math.Log(sumExp));
                expectedCount++;
            }
        }

        Assert.Equal(6, expectedCount);                                       // "yo"+<|im_end|>, "ok"+<|im_end|>
        Assert.Equal(expectedCount, task.LossItems(sequences));
        using var scope = NewDisposeScope();
        var sum = task.ComputeLoss(sequences).LossSum.item<float>();          // batched, the first row right-padded
        Assert.Equal(expectedSum, sum, 1e-4 * expectedSum);
    }

    [Fact]
    public void Divided_by_its_count_the_sum_equals_the_models_mean_loss()
    {
        using var model = TinyModels.Create(TinyTokenizer.BytesOnly, seed: 6);
        using var _ = no_grad();
        var ids = tensor(new long[] { 5, 9, 30, 40, 41, 42 }, [1, 6]);
        var labels = tensor(new long[] { -100, -100, 30, 40, -100, 42 }, [1, 6]);
        var output = model.Forward(ids, labels: labels);
        Assert.Equal(output.Loss!.item<float>(), SftLoss.TokenSum(output.Logits, labels).item<float>() / 3, 5);
    }

    [Fact]
    public void A_packed_row_gives_the_loss_and_gradients_of_its_conversations_trained_apart()
    {
        var encoder = new SftEncoder(TinyTokenizer.BytesOnly, new ChatMlTemplate(), maxSeqLength: 512);
        SftSequence[] conversations =
        [
            encoder.Encode([ChatMessage.FromUser("hi"), ChatMessage.FromAssistant("yo")]),
            encoder.Encode([ChatMessage.FromUser("hello there"), ChatMessage.FromAssistant("ok then")]),
            encoder.Encode([ChatMessage.FromUser("bye"), ChatMessage.FromAssistant("see you")]),
        ];
        var rows = SftPacker.Pack(conversations, 512);
        Assert.Equal(3, Assert.Single(rows).ExampleCount);
        using var model = TinyModels.Create(TinyTokenizer.BytesOnly, seed: 8);
        var task = new SftTask(model, TinyTokenizer.Pad);
        var embedding = model.parameters().First();

        var (apartLoss, apartGrad) = LossAndGradient(task, embedding, conversations);
        var (packedLoss, packedGrad) = LossAndGradient(task, embedding, rows);

        Assert.Equal(task.LossItems(conversations), task.LossItems(rows));
        Assert.Equal(apartLoss, packedLoss, 1e-4 * apartLoss);
        Assert.True((apartGrad - packedGrad).abs().max().item<float>() <= 1e-5 * apartGrad.abs().max().item<float>() + 1e-7);
    }

    private static (double Loss, Tensor Gradient) LossAndGradient(SftTask task, Tensor parameter, IReadOnlyList<SftSequence> batch)
    {
        parameter.grad?.zero_();
        using var scope = NewDisposeScope();
        var loss = task.ComputeLoss(batch).LossSum;
        loss.backward();
        var value = loss.item<float>();
        return (value, parameter.grad!.clone().MoveToOuterDisposeScope());
    }
}
