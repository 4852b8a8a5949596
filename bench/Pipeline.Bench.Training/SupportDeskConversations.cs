using Pipeline.Data;
using Pipeline.Quickstart;
using Pipeline.Quickstart.Data;
using Pipeline.Quickstart.Replies;
using Pipeline.Quickstart.Scenarios;
using Pipeline.Tokenizers;
using Pipeline.Tokenizers.ChatTemplates;
using Pipeline.Training.Sft;

namespace Pipeline.Bench.Training;

/// <summary>
/// Realistic SFT data for the benchmark: the quickstart's support-desk messages answered in the house style (two
/// exchanges per conversation), a
/// byte-level BPE tokenizer trained on them, and only the conversations that fill the whole sequence length, so every
/// step of both loops trains on exactly batch × length tokens with no padding.
/// </summary>
public sealed record SupportDeskConversations(ITextTokenizer Tokenizer, IChatTemplate ChatTemplate, IReadOnlyList<Example> Examples, IReadOnlyList<SftSequence> Sequences)
{
    public static SupportDeskConversations Create(TrainingBenchSettings settings, int seed = 11)
    {
        var systemPrompt = new QuickstartDataOptions().SystemPrompt;
        // Two exchanges per conversation: one message and its reply is under 128 tokens.
        var messages = new SupportDeskScenarios(seed).Generate(400);
        var all = messages.Chunk(2).Select((pair, i) => new Example
        {
            Id = $"support-{i:D4}",
            Messages = [new ChatMessage("system", systemPrompt), .. pair.SelectMany(m => new[] { new ChatMessage("user", m.Text), new ChatMessage("assistant", HouseStyleReplies.Good(m)) })],
        }).ToList();

        var tokenizer = new ByteLevelBpeTrainer(new ByteLevelBpeTrainerOptions { VocabSize = settings.TokenizerVocabSize })
            .Train(all.SelectMany(e => e.Messages.Select(m => m.Content)))
            .CreateTokenizer();
        var template = new ChatMlTemplate();

        // Keep the conversations the encoder cuts at the sequence length and that still have assistant tokens to train on.
        var encoder = new SftEncoder(tokenizer, template, settings.SequenceLength);
        var encoded = all.Select(e => (Example: e, Sequence: encoder.EncodeAll([e]).Sequences.SingleOrDefault())).ToList();
        var kept = encoded.Where(p => p.Sequence is { } s && s.InputIds.Count == settings.SequenceLength).ToList();
        var needed = settings.Steps * settings.Batch;
        if (kept.Count < needed)
            throw new InvalidOperationException($"Only {kept.Count} of {all.Count} support-desk conversations reach {settings.SequenceLength} tokens " +
                $"(the longest has {encoded.Max(p => p.Sequence?.InputIds.Count ?? 0)}); " +
                $"{needed} are needed ({settings.Steps} steps × batch {settings.Batch}). Lower the sequence length or the tokenizer's vocabulary size.");
        return new SupportDeskConversations(tokenizer, template, [.. kept.Select(p => p.Example)], [.. kept.Select(p => p.Sequence!)]);
    }
}
