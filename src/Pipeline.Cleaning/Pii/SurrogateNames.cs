using System.Text;
using Pipeline.Cleaning.NearDuplicates;

namespace Pipeline.Cleaning.Pii;

/// <summary>
/// Made-up names for the real ones of one conversation, drawn from the <see cref="NameGazetteer"/>, so a scrubbed
/// greeting still reads "Hello Maria," rather than "Hello &lt;NAME&gt;,". Rules:
/// <list type="bullet">
/// <item>a full name's first word gets a given name, its other words surnames; a lone word that is a later word of a
/// full name in the conversation (or only a gazetteer surname) gets a surname, any other lone word a given name, so
/// "Anna Nakamura" → "Sofia Keller" and then "Anna" → "Sofia", "Mr. Nakamura" → "Mr. Keller";</item>
/// <item>the choice is a hash of the seed and the real word, so the same real name gets the same surrogate in every
/// example (near-duplicates stay near-duplicates after scrubbing) and runs are reproducible; within one conversation
/// two real words never share a surrogate, and no surrogate is one of the conversation's real names;</item>
/// <item>never drawn: the ambiguous names (May, Will, ...) and names the conversation itself contains.</item>
/// </list>
/// A surrogate hides a name from a reader, but it is a pseudonym: whoever knows the seed can test a guessed name
/// against it. Use placeholders where that matters. Gender and origin of the real name are not kept.
/// </summary>
internal sealed class SurrogateNames
{
    private static readonly Lazy<string[]> GivenPool = new(() => Pool(NameGazetteer.GivenNames));
    private static readonly Lazy<string[]> SurnamePool = new(() => Pool(NameGazetteer.Surnames));

    private readonly Dictionary<(bool IsSurname, string Word), string> chosen = [];
    private readonly Dictionary<string, string> byValue = new(StringComparer.Ordinal);

    public SurrogateNames(IReadOnlyList<string> turns, IReadOnlyList<List<PiiSpan>> spans, ulong seed)
    {
        // 1. every name value in order of appearance
        var values = new List<string>();
        for (var t = 0; t < turns.Count; t++)
            foreach (var span in spans[t].Where(s => s.Type == PiiType.Name).OrderBy(s => s.Start))
            {
                var value = turns[t].Substring(span.Start, span.Length);
                if (!values.Contains(value)) values.Add(value);
            }
        var words = values.Select(v => v.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var real = new HashSet<string>(words.SelectMany(w => w), StringComparer.Ordinal);
        var laterWords = new HashSet<string>(words.Where(w => w.Length > 1).SelectMany(w => w.Skip(1)), StringComparer.Ordinal);

        // 2. a surrogate per word, then per value
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (var v = 0; v < values.Count; v++)
        {
            var parts = words[v];
            var surrogate = new string[parts.Length];
            for (var p = 0; p < parts.Length; p++)
            {
                bool isSurname = parts.Length > 1
                    ? p > 0
                    : laterWords.Contains(parts[p]) || (NameGazetteer.Surnames.Contains(parts[p]) && !NameGazetteer.GivenNames.Contains(parts[p]));
                surrogate[p] = Choose(isSurname, parts[p], seed, real, used);
            }
            byValue[values[v]] = string.Join(' ', surrogate);
        }
    }

    public string SurrogateFor(ReadOnlySpan<char> value) => byValue[value.ToString()];

    private string Choose(bool isSurname, string word, ulong seed, HashSet<string> real, HashSet<string> used)
    {
        if (chosen.TryGetValue((isSurname, word), out var known)) return known;
        var pool = isSurname ? SurnamePool.Value : GivenPool.Value;
        var start = (int)(Hash(seed, isSurname, word) % (ulong)pool.Length);
        for (var i = 0; i < pool.Length; i++)
        {
            var candidate = pool[(start + i) % pool.Length];
            if (real.Contains(candidate) || !used.Add(candidate)) continue;
            chosen[(isSurname, word)] = candidate;
            return candidate;
        }
        throw new InvalidOperationException($"A conversation with more than {pool.Length} distinct names has run out of surrogates.");
    }

    private static ulong Hash(ulong seed, bool isSurname, string word)
    {
        Span<byte> prefix = stackalloc byte[9];
        BitConverter.TryWriteBytes(prefix, seed);
        prefix[8] = isSurname ? (byte)1 : (byte)0;
        var bytes = Encoding.UTF8.GetBytes(word);
        var buffer = new byte[prefix.Length + bytes.Length];
        prefix.CopyTo(buffer);
        bytes.CopyTo(buffer, prefix.Length);
        return Fnv1a64.Hash(buffer);
    }

    /// <summary>The gazetteer's names that read as names on their own, sorted so the draw does not depend on hashing order.</summary>
    private static string[] Pool(IReadOnlySet<string> names) =>
        [.. names.Where(n => !NameGazetteer.Ambiguous.Contains(n) && !NameStopWords.All.Contains(n) && !n.Contains('-') && !n.Contains('\'')).Order(StringComparer.Ordinal)];
}
