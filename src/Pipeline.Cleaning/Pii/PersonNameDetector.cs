using System.Text.RegularExpressions;

namespace Pipeline.Cleaning.Pii;

/// <summary>
/// Person names, found in two steps over a whole conversation: names are first collected from
/// the configured list and from greeting and signature patterns in any turn ("Hi Anna,",
/// "Dear Mr. Smith", "Regards, Tom Becker", "Best,\nAnna"), then every capitalised occurrence
/// of a collected name is marked in every turn, together with a following capitalised surname.
/// So a name learned from a signature in the last turn is also removed from the first.
/// </summary>
public sealed partial class PersonNameDetector : IPiiDetector
{
    private readonly HashSet<string> _knownNames;
    private readonly bool _discoverFromGreetings;

    public PersonNameDetector(IEnumerable<string> knownNames, bool discoverFromGreetingsAndSignatures)
    {
        _knownNames = new HashSet<string>(knownNames, StringComparer.Ordinal);
        _discoverFromGreetings = discoverFromGreetingsAndSignatures;
    }

    public PiiType Type => PiiType.Name;

    public IEnumerable<PiiSpan> Detect(string text) => Detect(text, CollectNames([text]));

    /// <summary>The configured names plus every name (and each of its parts) seen in a greeting or signature.</summary>
    public HashSet<string> CollectNames(IReadOnlyList<string> turns)
    {
        var names = new HashSet<string>(_knownNames, StringComparer.Ordinal);
        if (!_discoverFromGreetings)
            return names;
        foreach (var turn in turns)
        {
            foreach (Match match in GreetingPattern().Matches(turn))
                AddDiscovered(names, match.Groups["name"].Value, hasTitle: match.Groups["title"].Success);
            foreach (Match match in SignaturePattern().Matches(turn))
                AddDiscovered(names, match.Groups["name"].Value, hasTitle: false);
        }
        return names;
    }

    public IEnumerable<PiiSpan> Detect(string text, IReadOnlySet<string> names)
    {
        var match = CapitalisedWordPattern().Match(text);
        while (match.Success)
        {
            if (!names.Contains(match.Value))
            {
                match = match.NextMatch();
                continue;
            }
            var start = match.Index;
            var end = match.Index + match.Length;
            var next = match.NextMatch();
            // "Anna Schmidt": a capitalised word right after a name, one space apart, is its surname.
            if (next.Success && next.Index == end + 1 && text[end] == ' ' && !NameStopWords.All.Contains(next.Value))
            {
                end = next.Index + next.Length;
                next = next.NextMatch();
            }
            yield return new PiiSpan(start, end - start, Type);
            match = next;
        }
    }

    private static void AddDiscovered(HashSet<string> names, string fullName, bool hasTitle)
    {
        var parts = fullName.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || (!hasTitle && NameStopWords.All.Contains(parts[0])))
            return;
        foreach (var part in parts)
            if (!NameStopWords.All.Contains(part))
                names.Add(part);
    }

    private const string NameWord = @"\p{Lu}\p{Ll}+(?:[-'’]\p{Lu}\p{Ll}+)?";

    [GeneratedRegex(@"(?<![\p{L}\p{N}_@./\\-])" + NameWord + @"(?![\p{L}\p{N}_@])", RegexOptions.CultureInvariant)]
    private static partial Regex CapitalisedWordPattern();

    [GeneratedRegex(
        @"\b(?:Hi|Hello|Hey|Dear|Good (?:morning|afternoon|evening)|Morning)[ \t]+" +
        @"(?:(?<title>Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?[ \t]+)?" +
        @"(?<name>" + NameWord + @"(?:[ \t]" + NameWord + @")?)" +
        @"(?=[ \t]*(?:[,!:;.\r\n]|$))",
        RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex GreetingPattern();

    [GeneratedRegex(
        @"(?<=^|[.!?][ \t]+)(?i:Regards|Best regards|Kind regards|Warm regards|Best wishes|Best|Thanks|Thank you|Many thanks|Cheers|Sincerely|Yours sincerely|Yours truly|Cordially|Respectfully|Take care)" +
        @"[ \t]*(?:,[ \t]*\r?\n?|\r?\n)[ \t]*" +
        @"(?<name>" + NameWord + @"(?:[ \t]" + NameWord + @")?)" +
        @"[ \t]*[.!]?[ \t]*(?=\r?\n|$)",
        RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex SignaturePattern();
}
