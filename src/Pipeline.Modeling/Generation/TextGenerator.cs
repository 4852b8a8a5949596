using Pipeline.Tokenizers;

namespace Pipeline.Modeling.Generation;

/// <summary>A generated continuation as text, with the token-level record it was decoded from.</summary>
public sealed record GeneratedText(string Text, GeneratedSequence Sequence);

/// <summary>
/// Text in, text out: encodes prompts, runs <see cref="SequenceGenerator"/> and decodes the new tokens.
/// Fills what the options leave open from the tokenizer: stop ids (eos and the rest of generation_config's
/// list, then config.json's eos) and the pad id.
/// </summary>
public sealed class TextGenerator(CausalLanguageModel model, ITextTokenizer tokenizer)
{
    /// <param name="addSpecialTokens">Apply the tokenizer's post-processing to prompts (e.g. Llama 3's BOS); false for chat-templated text that already has it.</param>
    public IReadOnlyList<GeneratedText> Generate(IReadOnlyList<string> prompts, GenerationOptions options, bool addSpecialTokens = true)
    {
        var encoded = prompts.Select(p => tokenizer.Encode(p, addSpecialTokens).ToArray()).ToList();
        var special = tokenizer.SpecialTokens;
        var resolved = options with
        {
            EosTokenIds = options.EosTokenIds.Count > 0 ? options.EosTokenIds
                : special.StopTokenIds.Count > 0 ? special.StopTokenIds
                : special.EosId is { } eos ? [eos]
                : model.Config.EosTokenIds,
            PadTokenId = options.PadTokenId != 0 ? options.PadTokenId : special.PaddingId,
        };
        var sequences = SequenceGenerator.Generate(model, encoded, resolved);
        return [.. sequences.Select(s => new GeneratedText(tokenizer.Decode(s.TokenIds, skipSpecialTokens: true), s))];
    }
}
