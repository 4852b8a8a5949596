using Pipeline.Data;
using Pipeline.Modeling.Configuration;
using Pipeline.Quickstart;
using Pipeline.Quickstart.Data;
using Pipeline.Quickstart.Replies;
using Pipeline.Quickstart.Scenarios;
using Pipeline.Tokenizers;
using Pipeline.Tokenizers.ChatTemplates;

namespace Pipeline.Bench.Alignment;

/// <summary>The quickstart's support-desk messages as prompts and preference pairs, a ChatML tokenizer trained on them, and the model shape.</summary>
public sealed record AlignmentData(ITextTokenizer Tokenizer, IChatTemplate Template, IReadOnlyList<Example> Prompts, IReadOnlyList<Example> Pairs, ModelConfig Config)
{
    public static AlignmentData Create()
    {
        var system = new QuickstartDataOptions().SystemPrompt;
        var messages = new SupportDeskScenarios(11).Generate(128);
        var prompts = messages.Select((m, i) => new Example
        {
            Id = $"prompt-{i:D3}", Messages = [new ChatMessage("system", system), new ChatMessage("user", m.Text)],
        }).ToList();
        var pairs = PreferencePairs.Build(messages, seed: 3).Select((p, i) => new Example
        {
            Id = $"pair-{i:D3}", Messages = [new ChatMessage("system", system), new ChatMessage("user", p.Message.Text)], Chosen = p.Chosen, Rejected = p.Rejected,
        }).ToList();
        var tokenizer = new ByteLevelBpeTrainer(new ByteLevelBpeTrainerOptions { VocabSize = 2048, ChatTemplateName = "chatml" })
            .Train(messages.SelectMany(m => new[] { m.Text, HouseStyleReplies.Good(m) })).CreateTokenizer();
        // About 5M parameters: big enough that matmuls dominate, small enough for a CPU benchmark of minutes.
        var config = ModelPresets.Llama(tokenizer.VocabSize, hidden: 256, layers: 4, heads: 4, kvHeads: 2, intermediate: 688, context: 512);
        return new AlignmentData(tokenizer, new ChatMlTemplate(), prompts, pairs, config);
    }
}
