using Pipeline.Cleaning.NearDuplicates;

namespace Pipeline.Cleaning.Tests.NearDuplicates;

/// <summary>
/// A labelled near-duplicate corpus built by the tests:
/// <list type="bullet">
/// <item>distinct texts of 120–320 words from a seeded word sampler;</item>
/// <item>for some of them, 1–3 planted variants with known edits: 1–3 word edits (substitution,
/// insertion, deletion, adjacent swap) plus up to 6 cosmetic edits (case, punctuation), kept
/// only if their exact word-5-gram Jaccard to the original is ≥ 0.8;</item>
/// <item>topic groups: distinct texts that share a 30–50% block of wording (Jaccard ≈ 0.15–0.35),
/// the hard negatives.</item>
/// </list>
/// A family is an original and its variants; the true duplicate pairs are all pairs within a family.
/// </summary>
internal sealed class NearDuplicateCorpus
{
    public List<(string Id, string Text)> Documents { get; } = [];
    public List<List<string>> Families { get; } = [];
    public List<List<string>> TopicGroups { get; } = [];
    public List<double> PlantedJaccards { get; } = [];

    public IReadOnlyDictionary<string, string> TextById => Documents.ToDictionary(d => d.Id, d => d.Text);

    public static NearDuplicateCorpus Build(int seed, int distinctTexts, int families, int topicGroups, ShingleUnit unit = ShingleUnit.Words, int shingleSize = 5)
    {
        var sampler = new WordSampler(seed);
        var random = sampler.Random;
        var corpus = new NearDuplicateCorpus();
        for (var i = 0; i < distinctTexts; i++)
        {
            var tokens = sampler.Tokens(120 + random.Next(201));
            var id = $"doc-{i:D4}";
            corpus.Documents.Add((id, WordSampler.Render(tokens)));
            if (i >= families)
                continue;
            var family = new List<string> { id };
            var variants = 1 + random.Next(3);
            for (var v = 0; v < variants; v++)
            {
                var variant = PlantVariant(tokens, sampler, unit, shingleSize, out var jaccard);
                var variantId = $"{id}-v{v}";
                corpus.Documents.Add((variantId, variant));
                corpus.PlantedJaccards.Add(jaccard);
                family.Add(variantId);
            }
            corpus.Families.Add(family);
        }
        for (var g = 0; g < topicGroups; g++)
        {
            var shared = sampler.Tokens(80 + random.Next(50));
            var group = new List<string>();
            for (var m = 0; m < 3; m++)
            {
                var id = $"topic-{g:D2}-{m}";
                var own = sampler.Tokens(130 + random.Next(40));
                corpus.Documents.Add((id, WordSampler.Render(m % 2 == 0 ? [.. shared, .. own] : [.. own, .. shared])));
                group.Add(id);
            }
            corpus.TopicGroups.Add(group);
        }
        return corpus;
    }

    public static double ExactJaccard(string left, string right, ShingleUnit unit, int size)
    {
        var a = Shingler.ShingleSet(left, unit, size);
        var b = Shingler.ShingleSet(right, unit, size);
        var intersection = a.Count(b.Contains);
        return (double)intersection / (a.Count + b.Count - intersection);
    }

    private static string PlantVariant(List<string> original, WordSampler sampler, ShingleUnit unit, int size, out double jaccard)
    {
        var random = sampler.Random;
        var originalText = WordSampler.Render(original);
        for (var wordEdits = 1 + random.Next(3); ; wordEdits--)
        {
            var tokens = new List<string>(original);
            for (var e = 0; e < wordEdits; e++)
                ApplyWordEdit(tokens, sampler);
            var cosmetic = random.Next(7);
            for (var e = 0; e < cosmetic; e++)
                ApplyCosmeticEdit(tokens, random);
            var text = WordSampler.Render(tokens);
            jaccard = ExactJaccard(originalText, text, unit, size);
            if (jaccard >= 0.8 || wordEdits == 0)
                return text;
        }
    }

    private static int WordPosition(List<string> tokens, Random random)
    {
        while (true)
        {
            var position = random.Next(tokens.Count);
            if (tokens[position] is not ("," or "." or "!" or ";"))
                return position;
        }
    }

    private static void ApplyWordEdit(List<string> tokens, WordSampler sampler)
    {
        var random = sampler.Random;
        var position = WordPosition(tokens, random);
        switch (random.Next(4))
        {
            case 0: tokens[position] = sampler.Word(); break;
            case 1: tokens.Insert(position, sampler.Word()); break;
            case 2: tokens.RemoveAt(position); break;
            default:
                var next = position + 1 < tokens.Count && tokens[position + 1] is not ("," or ".") ? position + 1 : position;
                (tokens[position], tokens[next]) = (tokens[next], tokens[position]);
                break;
        }
    }

    private static void ApplyCosmeticEdit(List<string> tokens, Random random)
    {
        var position = random.Next(tokens.Count);
        var token = tokens[position];
        tokens[position] = token switch
        {
            "." => random.Next(2) == 0 ? "!" : ";",
            "," => ".",
            _ => random.Next(2) == 0 ? token.ToUpperInvariant() : token.ToLowerInvariant(),
        };
    }
}
