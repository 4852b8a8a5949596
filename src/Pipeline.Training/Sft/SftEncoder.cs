using Pipeline.Data;
using Pipeline.Modeling;
using Pipeline.Tokenizers;
using Pipeline.Tokenizers.ChatTemplates;
using Pipeline.Training.Datasets;

namespace Pipeline.Training.Sft;

/// <summary>
/// Renders examples with the model's chat template and tokenizes them for SFT: prompt tokens (system and
/// user turns, role headers) get label -100, assistant content and its end-of-turn token keep their ids, so
/// the model learns to answer and to stop.
/// </summary>
/// <remarks>
/// Longer conversations are cut to <c>maxSeqLength</c> tokens from the start: the prompt's beginning (the
/// instructions) is kept and the end of the reply is lost. A conversation with no trainable token left after
/// the cut teaches nothing and is skipped (counted in <see cref="SftEncoding.SkippedWithoutTrainableTokens"/>).
/// </remarks>
public sealed class SftEncoder(ITextTokenizer tokenizer, IChatTemplate template, int maxSeqLength)
{
    public SftSequence Encode(IReadOnlyList<ChatMessage> messages)
    {
        var tokenized = ChatTokenization.Tokenize(tokenizer, template.Render(messages, addGenerationPrompt: false));
        var length = Math.Min(tokenized.InputIds.Count, maxSeqLength);
        var ids = tokenized.InputIds.Take(length).ToArray();
        var labels = new long[length];
        for (var i = 0; i < length; i++) labels[i] = tokenized.TrainableMask[i] ? ids[i] : CausalLmLoss.IgnoreIndex;
        return new SftSequence(ids, labels);
    }

    /// <summary>Encodes every example (see <see cref="ConversationMessages.ForSft"/>), skipping those with nothing to train on.</summary>
    public SftEncoding EncodeAll(IEnumerable<Example> examples)
    {
        var sequences = new List<SftSequence>();
        int skipped = 0, truncated = 0;
        foreach (var example in examples)
        {
            SftSequence sequence;
            try
            {
                sequence = Encode(ConversationMessages.ForSft(example));
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Example '{example.Id}'{(example.Source is { } s ? $" ({s})" : "")} cannot be rendered: {e.Message}", e);
            }
            if (sequence.TrainableTokens == 0) { skipped++; continue; }
            if (sequence.InputIds.Count == maxSeqLength) truncated++;
            sequences.Add(sequence);
        }
        return new SftEncoding(sequences, skipped, truncated);
    }
}

/// <summary>The encoded examples, and how many were skipped (nothing trainable) or reached max_seq_length (possibly truncated).</summary>
public sealed record SftEncoding(IReadOnlyList<SftSequence> Sequences, int SkippedWithoutTrainableTokens, int AtMaxLength);
