namespace Pipeline.Cleaning.Pii;

/// <summary>
/// The shipped name lists (Pii/Gazetteer/*.txt, see the README there for their sources): common given names and
/// surnames of several languages, and the names that are also everyday words. Loaded once; immutable.
/// </summary>
public static class NameGazetteer
{
    private static readonly Lazy<IReadOnlySet<string>> GivenNamesSet = new(() => Load("given-names"));
    private static readonly Lazy<IReadOnlySet<string>> SurnamesSet = new(() => Load("surnames"));
    private static readonly Lazy<IReadOnlySet<string>> AmbiguousSet = new(() => Load("ambiguous"));

    /// <summary>Common given names ("Anna", "Jürgen", "Hiroshi").</summary>
    public static IReadOnlySet<string> GivenNames => GivenNamesSet.Value;

    /// <summary>Common surnames ("Nakamura", "Müller", "García").</summary>
    public static IReadOnlySet<string> Surnames => SurnamesSet.Value;

    /// <summary>Names that are also ordinary capitalised words ("Will", "May", "Rose", "Paris", "Apple").</summary>
    public static IReadOnlySet<string> Ambiguous => AmbiguousSet.Value;

    private static IReadOnlySet<string> Load(string name)
    {
        string resource = $"Pipeline.Cleaning.Pii.Gazetteer.{name}.txt";
        using var stream = typeof(NameGazetteer).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The name gazetteer '{resource}' is missing from {typeof(NameGazetteer).Assembly.GetName().Name}; the build embeds Pii/Gazetteer/*.txt.");
        using var reader = new StreamReader(stream);
        var words = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.TrimStart().StartsWith('#')) continue;
            foreach (var word in line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)) words.Add(word);
        }
        return words;
    }
}
