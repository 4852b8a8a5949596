namespace Pipeline.Cleaning.Pii;

/// <summary>
/// Chooses the placeholder of every found value within one conversation. Numbering rule: a
/// type with one distinct value in the conversation gets the bare tag (&lt;EMAIL&gt;); a type with
/// several gets &lt;EMAIL_1&gt;, &lt;EMAIL_2&gt;, ... numbered by first appearance (turn, then position).
/// The same value always gets the same placeholder in every turn, and a lone first name or
/// surname that belongs to exactly one full name found in the conversation shares its
/// placeholder ("Tom" and "Tom Becker").
/// </summary>
internal sealed class PlaceholderAssigner
{
    private readonly Dictionary<(PiiType Type, string Key), string> placeholders = [];

    public PlaceholderAssigner(IReadOnlyList<string> turns, IReadOnlyList<List<PiiSpan>> spans)
    {
        // 1. every value's key, in order of first appearance
        var ordered = new List<(PiiType Type, string Key)>();
        var seen = new HashSet<(PiiType, string)>();
        for (var t = 0; t < turns.Count; t++)
            foreach (var span in spans[t].OrderBy(s => s.Start))
            {
                var key = (span.Type, PiiValueKey.Of(span.Type, turns[t].AsSpan(span.Start, span.Length)));
                if (seen.Add(key))
                    ordered.Add(key);
            }

        // 2. lone name parts join their full name
        var canonical = ordered.ToDictionary(k => k, k => k);
        var fullNames = ordered.Where(k => k.Type == PiiType.Name && k.Key.Contains(' ')).ToList();
        foreach (var key in ordered.Where(k => k.Type == PiiType.Name && !k.Key.Contains(' ')))
        {
            var owners = fullNames.Where(f => f.Key.Split(' ').Contains(key.Key)).ToList();
            if (owners.Count == 1)
                canonical[key] = owners[0];
        }

        // 3. number per type when a type has several distinct values
        var distinctByType = ordered.Select(k => canonical[k]).Distinct().GroupBy(k => k.Type)
            .ToDictionary(g => g.Key, g => g.ToList());
        foreach (var key in ordered)
        {
            var target = canonical[key];
            var values = distinctByType[key.Type];
            var tag = key.Type.Tag();
            placeholders[key] = values.Count == 1 ? $"<{tag}>" : $"<{tag}_{values.IndexOf(target) + 1}>";
        }
    }

    public string PlaceholderFor(PiiType type, ReadOnlySpan<char> value) =>
        placeholders[(type, PiiValueKey.Of(type, value))];
}
