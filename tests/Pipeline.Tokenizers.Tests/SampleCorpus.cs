namespace Pipeline.Tokenizers.Tests;

/// <summary>A small deterministic corpus: generated English-like sentences, numbers, punctuation and some non-ASCII.</summary>
public static class SampleCorpus
{
    private static readonly string[] Words =
    [
        "the", "model", "learns", "tokens", "from", "text", "and", "data", "training", "reward", "policy", "value",
        "gradient", "loss", "batch", "sequence", "attention", "layer", "weights", "café", "naïve", "東京", "🙂",
    ];

    public static IReadOnlyList<string> Lines(int count, int seed = 7)
    {
        var random = new Random(seed);
        var lines = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var length = random.Next(4, 14);
            var words = Enumerable.Range(0, length).Select(_ => Words[random.Next(Words.Length)]);
            lines.Add($"{string.Join(' ', words)}, step {random.Next(0, 5000)}.\n  The loss was {random.NextDouble():F3}!");
        }
        return lines;
    }
}
