using Pipeline.Cli.Commands.Model;
using Pipeline.Modeling;
using Pipeline.Modeling.Evaluation;
using static TorchSharp.torch;

namespace Pipeline.Cli.Tests.Model;

public sealed class PerplexityEvaluatorTests(TinyModelFolders models)
{
    [Fact]
    public void Windows_score_every_position_but_the_first_exactly_once()
    {
        // length 10, windows of 4 scoring 3 new tokens: [0,4) scores 1-3, [3,7) scores 4-6, [6,10) scores 7-9.
        Assert.Equal([new(0, 4, 1), new(3, 7, 4), new(6, 10, 7)], EvaluationWindows.Plan(10, maxLength: 4, stride: 3));
        // stride 2 keeps two tokens of context before the scored ones once the window is full.
        Assert.Equal([new(0, 3, 1), new(1, 5, 3), new(3, 7, 5), new(5, 9, 7), new(6, 10, 9)], EvaluationWindows.Plan(10, maxLength: 4, stride: 2));
        Assert.Equal([new EvaluationWindow(0, 3, 1)], EvaluationWindows.Plan(3, maxLength: 8, stride: 7));
        Assert.Empty(EvaluationWindows.Plan(1, maxLength: 8, stride: 7));
        Assert.Throws<ArgumentOutOfRangeException>(() => EvaluationWindows.Plan(10, maxLength: 4, stride: 4));
    }

    [Fact]
    public void Random_tiny_model_is_about_as_perplexed_as_a_uniform_guess()
    {
        using var loaded = LoadedModel.Load(models.Llama.Directory);
        using var folder = new TempFolder();
        File.WriteAllText(folder.PathOf("eval.txt"), "Thank you for contacting customer support. Your refund is on its way.");
        var data = EvaluationDataReader.Read(folder.PathOf("eval.txt"),
            loaded.Tokenizer, () => loaded.ChatTemplate(), completionOnly: false);
        var result = PerplexityEvaluator.Evaluate(loaded.Model, data.Sequences, new PerplexityOptions());
        var vocab = loaded.Model.Config.VocabSize;
        // Weights ~ N(0, 0.02): logits are nearly equal, so the perplexity is close to the vocabulary size.
        Assert.InRange(result.Perplexity, 0.8 * vocab, 1.25 * vocab);
        Assert.Equal(Math.Exp(result.MeanNegativeLogLikelihood), result.Perplexity, 9);
        Assert.Equal(data.Sequences[0].Ids.Length - 1, result.Tokens);
    }

    [Fact]
    public void Mean_nll_equals_the_models_own_loss_and_windows_and_batches_do_not_change_it_beyond_context()
    {
        using var loaded = LoadedModel.Load(models.Llama.Directory);
        var ids = Enumerable.Range(0, 40).Select(i => (i * 37 + 11) % loaded.Model.Config.VocabSize).ToArray();
        var document = ScoredSequence.AllScored(ids);

        // One window holding the whole document: exactly the training loss (mean cross-entropy of shifted labels).
        var whole = PerplexityEvaluator.Evaluate(loaded.Model, [document], new PerplexityOptions());
        double expected;
        using (no_grad())
        {
            var input = tensor(ids.Select(i => (long)i).ToArray(), [1, ids.Length]);
            expected = loaded.Model.Forward(input, labels: input).Loss!.item<float>();
        }
        Assert.Equal(expected, whole.MeanNegativeLogLikelihood, 5);
        Assert.Equal(39, whole.Tokens);

        // Several documents of different lengths batched with right padding give the same sums as one at a time.
        var docs = new[] { ids[..7], ids[..40], ids[5..20] }.Select(ScoredSequence.AllScored).ToList();
        var batched = PerplexityEvaluator.Evaluate(loaded.Model, docs, new PerplexityOptions { BatchSize = 3 });
        var single = PerplexityEvaluator.Evaluate(loaded.Model, docs, new PerplexityOptions { BatchSize = 1 });
        Assert.Equal(single.MeanNegativeLogLikelihood, batched.MeanNegativeLogLikelihood, 5);
        Assert.Equal(6 + 39 + 14, batched.Tokens);

        // Short windows score the same 39 tokens with less context: a different, still finite, value.
        var windowed = PerplexityEvaluator.Evaluate(loaded.Model, [document], new PerplexityOptions { MaxLength = 8 });
        Assert.Equal(39, windowed.Tokens);
        Assert.Equal(6, windowed.Windows);   // ceil(39 / 7)
        Assert.NotEqual(whole.MeanNegativeLogLikelihood, windowed.MeanNegativeLogLikelihood, 6);
    }

    [Fact]
    public void Only_scored_tokens_count()
    {
        using var loaded = LoadedModel.Load(models.Llama.Directory);
        int[] ids = [5, 9, 13, 17, 21, 25];
        var all = PerplexityEvaluator.Evaluate(loaded.Model, [ScoredSequence.AllScored(ids)], new PerplexityOptions { BatchSize = 1 });
        var lastTwo = PerplexityEvaluator.Evaluate(loaded.Model, [new ScoredSequence(ids, [false, false, false, false, true, true])], new PerplexityOptions());
        Assert.Equal(5, all.Tokens);
        Assert.Equal(2, lastTwo.Tokens);

        double[] perToken;
        using (no_grad())
        {
            var input = tensor(ids.Select(i => (long)i).ToArray(), [1, ids.Length]);
            var logProbs = loaded.Model.Forward(input).Logits.log_softmax(-1)[0];                  // (T, V)
            perToken = [.. Enumerable.Range(1, ids.Length - 1).Select(t => -logProbs[t - 1, ids[t]].item<float>() * 1.0)];
        }
        Assert.Equal(perToken.Average(), all.MeanNegativeLogLikelihood, 5);
        Assert.Equal((perToken[3] + perToken[4]) / 2, lastTwo.MeanNegativeLogLikelihood, 5);
    }

    [Fact]
    public void Nothing_to_score_is_an_error_that_says_why()
    {
        using var loaded = LoadedModel.Load(models.Llama.Directory);
        var error = Assert.Throws<ArgumentException>(() =>
            PerplexityEvaluator.Evaluate(loaded.Model, [ScoredSequence.AllScored([7])], new PerplexityOptions()));
        Assert.Contains("No token can be scored", error.Message);
        Assert.Throws<ArgumentException>(() =>
            PerplexityEvaluator.Evaluate(loaded.Model, [ScoredSequence.AllScored([7, 8])], new PerplexityOptions { MaxLength = 4096 }));
    }
}
