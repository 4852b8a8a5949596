namespace Pipeline.Tokenizers;

/// <summary>
/// Turns the token names of tokenizer_config.json and the ids of generation_config.json into
/// <see cref="SpecialTokens"/>, checking that each one exists in the tokenizer.
/// </summary>
internal static class SpecialTokenResolver
{
    /// <param name="defaults">What the tokenizer file itself says (SentencePiece bos/eos/unk ids, BPE unk_token).</param>
    public static SpecialTokens Resolve(ITextTokenizer tokenizer, TokenizerConfig config, string directory, SpecialTokens? defaults = null)
    {
        var configPath = Path.Combine(directory, "tokenizer_config.json");
        var generationPath = Path.Combine(directory, "generation_config.json");

        var bos = ByName(tokenizer, config.BosToken, "bos_token", configPath)
                  ?? ById(tokenizer, config.GenerationBosTokenId, "bos_token_id", generationPath)
                  ?? defaults?.Bos;
        var generationEos = config.GenerationEosTokenIds
            .Select((id, i) => ById(tokenizer, id, $"eos_token_id[{i}]", generationPath)!)
            .ToList();
        var eos = ByName(tokenizer, config.EosToken, "eos_token", configPath)
                  ?? generationEos.FirstOrDefault()
                  ?? defaults?.Eos;
        var pad = ByName(tokenizer, config.PadToken, "pad_token", configPath)
                  ?? ById(tokenizer, config.GenerationPadTokenId, "pad_token_id", generationPath)
                  ?? defaults?.Pad;
        var unk = ByName(tokenizer, config.UnkToken, "unk_token", configPath) ?? defaults?.Unk;

        var stops = new List<int>();
        if (eos is not null) stops.Add(eos.Id);
        stops.AddRange(generationEos.Select(t => t.Id).Where(id => !stops.Contains(id)));

        return new SpecialTokens
        {
            Bos = bos,
            Eos = eos,
            Pad = pad ?? eos,
            PadIsEosFallback = pad is null && eos is not null,
            Unk = unk,
            StopTokenIds = stops,
        };
    }

    private static SpecialToken? ByName(ITextTokenizer tokenizer, string? name, string key, string path)
    {
        if (name is null) return null;
        var id = tokenizer.TokenToId(name)
                 ?? throw new TokenizerFormatException(path, $"{key} '{name}' is not a token of this tokenizer");
        return new SpecialToken(name, id);
    }

    private static SpecialToken? ById(ITextTokenizer tokenizer, int? id, string key, string path)
    {
        if (id is null) return null;
        var text = tokenizer.IdToToken(id.Value)
                   ?? throw new TokenizerFormatException(path, $"{key} {id} is not an id of this tokenizer (vocabulary size {tokenizer.VocabSize})");
        return new SpecialToken(text, id.Value);
    }
}
