using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using Pipeline.Data;
using Pipeline.Tokenizers;
using Pipeline.Tokenizers.ChatTemplates;
using Pipeline.Training.Loop;
using Pipeline.Training.Reward;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Training.Alignment.Rewards;

/// <summary>
/// A trained reward model as a reward source. Completions arrive as text and are re-tokenized with the reward model's
/// own tokenizer and chat template, so a reward model whose tokenizer differs from the policy's still scores correctly
/// (TRL requires the two to match; re-tokenizing costs a little host time and removes that trap).
/// </summary>
public sealed class RewardModelSource(RewardModel model, ITextTokenizer tokenizer, IChatTemplate template, int maxSeqLength, int batchSize) : IRewardSource
{
    private readonly PreferencePairEncoder encoder = new(tokenizer, template, maxSeqLength);
    private readonly int padId = tokenizer.SpecialTokens.PaddingId;

    public string Name => RewardSourceSettings.RewardModelSource;

    public RewardModel Model => model;

    public IReadOnlyList<double> Score(IReadOnlyList<RewardQuery> queries)
    {
        var sequences = queries.Select(q => encoder.EncodeConversation([.. q.Prompt, ChatMessage.FromAssistant(q.Completion)])).ToList();
        var device = model.parameters().First().device;
        var scores = new List<double>(queries.Count);
        var wasTraining = model.training;
        model.eval();
        try
        {
            foreach (var chunk in sequences.Chunk(batchSize))
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                var (ids, mask, _) = RightPadding.Collate(chunk, padId, device);
                scores.AddRange(model.call(ids, mask).to(ScalarType.Float64).data<double>().ToArray());
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return scores;
    }
}
