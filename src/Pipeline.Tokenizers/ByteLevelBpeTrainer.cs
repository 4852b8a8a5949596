namespace Pipeline.Tokenizers;

/// <summary>
/// Trains a byte-level BPE vocabulary (GPT-2 style) on a text corpus. Deterministic: the same corpus in the
/// same order gives the same merges. Ids: special tokens first, then the 256 bytes in byte order, then one
/// id per merge.
/// </summary>
public sealed class ByteLevelBpeTrainer(ByteLevelBpeTrainerOptions options)
{
    public ByteLevelBpeTrainerOptions Options { get; } = Validate(options);

    public TrainedByteLevelBpe Train(IEnumerable<string> corpus)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var tokens = new List<string>(Options.SpecialTokens);
        for (var b = 0; b < 256; b++) tokens.Add(ByteLevelAlphabet.ByteToChar((byte)b).ToString());
        var byteBase = Options.SpecialTokens.Count;

        var (words, frequencies) = CountWords(corpus, byteBase);
        var merges = new BpeMergeLearner(words, frequencies)
            .Learn(Options.VocabSize - tokens.Count, Options.MinFrequency, tokens);
        return new TrainedByteLevelBpe(tokens, merges, Options);
    }

    /// <summary>
    /// Pre-tokenizes with the GPT-2 regex (special tokens in the text are cut out first and not learned from)
    /// and returns each distinct word as byte symbols with its count.
    /// </summary>
    private (List<int[]> Words, List<long> Frequencies) CountWords(IEnumerable<string> corpus, int byteBase)
    {
        var specials = new AddedTokenSplitter(Options.SpecialTokens.Select((t, i) => new AddedToken(i, t, true)));
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var text in corpus)
        {
            if (string.IsNullOrEmpty(text)) continue;
            foreach (var piece in specials.Split(text))
            {
                if (piece.Token is not null) continue;
                foreach (var match in PreTokenizer.Gpt2.Matches(text, piece.Start, piece.Length))
                {
                    var word = text.Substring(match.Start, match.Length);
                    counts[word] = counts.GetValueOrDefault(word) + 1;
                }
            }
        }

        var words = new List<int[]>(counts.Count);
        var frequencies = new List<long>(counts.Count);
        foreach (var (word, count) in counts)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(word);
            words.Add(bytes.Select(b => byteBase + b).ToArray());
            frequencies.Add(count);
        }
        return (words, frequencies);
    }

    private static ByteLevelBpeTrainerOptions Validate(ByteLevelBpeTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var minimum = options.SpecialTokens.Count + 256;
        if (options.VocabSize < minimum)
            throw new ArgumentException($"VocabSize {options.VocabSize} is below the {options.SpecialTokens.Count} special tokens + 256 bytes = {minimum}.", nameof(options));
        if (options.MinFrequency < 1)
            throw new ArgumentException($"MinFrequency must be at least 1, was {options.MinFrequency}.", nameof(options));
        if (options.SpecialTokens.Distinct(StringComparer.Ordinal).Count() != options.SpecialTokens.Count)
            throw new ArgumentException("SpecialTokens contains duplicates.", nameof(options));
        if (options.SpecialTokens.Any(string.IsNullOrEmpty))
            throw new ArgumentException("SpecialTokens contains an empty token.", nameof(options));
        foreach (var (name, value) in new[] { ("BosToken", options.BosToken), ("EosToken", options.EosToken), ("PadToken", options.PadToken) })
        {
            if (value is not null && !options.SpecialTokens.Contains(value))
                throw new ArgumentException($"{name} '{value}' is not one of SpecialTokens ({string.Join(", ", options.SpecialTokens)}).", nameof(options));
        }
        if (options.ChatTemplateName is { } template) _ = ChatTemplates.ChatTemplateResolver.FromName(template, options.EosToken);
        return options;
    }
}
