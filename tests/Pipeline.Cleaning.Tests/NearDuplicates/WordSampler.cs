namespace Pipeline.Cleaning.Tests.NearDuplicates;

/// <summary>
/// A seeded generator of English-looking text: 3000 pseudo-words built from syllables, drawn with
/// Zipf-like frequencies (so common words recur across texts, as in real data) into sentences.
/// </summary>
internal sealed class WordSampler
{
    private static readonly string[] Syllables =
    [
        "ka", "lo", "mi", "ne", "ta", "ri", "so", "pu", "ve", "da", "ge", "bo", "fi", "hu", "ja", "ze",
        "ran", "tor", "mel", "sin", "pol", "dar", "ven", "lut", "kor", "bis", "fen", "gal", "hom", "tri", "ex", "ul",
    ];

    private readonly Random random;
    private readonly string[] vocabulary;
    private readonly double[] cumulative;

    public WordSampler(int seed, int vocabularySize = 3000)
    {
        random = new Random(seed);
        var words = new HashSet<string>(StringComparer.Ordinal);
        var vocabularyRandom = new Random(seed ^ 0x5A5A);
        while (words.Count < vocabularySize)
        {
            var syllables = 1 + vocabularyRandom.Next(4);
            words.Add(string.Concat(Enumerable.Range(0, syllables).Select(_ => Syllables[vocabularyRandom.Next(Syllables.Length)])));
        }
        vocabulary = [.. words];
        cumulative = new double[vocabularySize];
        var total = 0.0;
        for (var rank = 0; rank < vocabularySize; rank++)
        {
            total += 1.0 / Math.Pow(rank + 1, 0.9);
            cumulative[rank] = total;
        }
        for (var rank = 0; rank < vocabularySize; rank++)
            cumulative[rank] /= total;
    }

    public Random Random => random;

    public string Word()
    {
        var index = Array.BinarySearch(cumulative, random.NextDouble());
        return vocabulary[index < 0 ? Math.Min(~index, vocabulary.Length - 1) : index];
    }

    /// <summary>A text of about <paramref name="words"/> words as tokens: words, "," and "." (sentence ends).</summary>
    public List<string> Tokens(int words)
    {
        var tokens = new List<string>();
        var written = 0;
        while (written < words)
        {
            var sentenceLength = Math.Min(8 + random.Next(11), words - written);
            for (var i = 0; i < sentenceLength; i++)
            {
                var word = Word();
                tokens.Add(i == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : word);
                if (i > 1 && i < sentenceLength - 1 && random.NextDouble() < 0.08)
                    tokens.Add(",");
            }
            tokens.Add(".");
            written += sentenceLength;
        }
        return tokens;
    }

    public static string Render(IEnumerable<string> tokens)
    {
        var builder = new System.Text.StringBuilder();
        foreach (var token in tokens)
        {
            if (builder.Length > 0 && token is not ("," or "." or "!" or ";"))
                builder.Append(' ');
            builder.Append(token);
        }
        return builder.ToString();
    }
}
