namespace Pipeline.Quickstart.Data;

/// <summary>
/// The flaws real SFT exports have, put into support.jsonl on purpose so the ingestion stage has something to find
/// and report on its data card: two exact duplicates, a line cut off mid-JSON, a conversation whose assistant turn
/// is empty. (Personal data needs no planting: about a third of the customer messages carry a phone number or an
/// e-mail.) Positions are fixed fractions of the file, so they move with its size but not with the seed.
/// </summary>
internal static class SftDefects
{
    public static IReadOnlyList<SftDataDefect> Insert(List<string> lines, string systemPrompt)
    {
        var count = lines.Count;
        var firstCopied = lines[1];
        var secondCopied = lines[count / 2];
        var planned = new List<(int Index, string Line, string? CopyOf, string Description)>
        {
            (count / 4, firstCopied, firstCopied, "exact duplicate"),
            (count / 3, lines[2][..(lines[2].Length / 2)], null, "invalid JSON: the line is cut off half-way"),
            (2 * count / 3, QuickstartJsonLines.Sft(systemPrompt, "Hello, is anyone there? I sent a message about my order yesterday.", ""), null, "empty assistant turn"),
            (count, secondCopied, secondCopied, "exact duplicate"),
        };
        // Inserted front to back: each earlier insertion shifts the later positions by one.
        for (var i = 0; i < planned.Count; i++)
            lines.Insert(planned[i].Index + i, planned[i].Line);
        return planned.Select((p, i) => new SftDataDefect(
            p.Index + i + 1,
            p.CopyOf is null ? p.Description : $"{p.Description} of line {lines.IndexOf(p.CopyOf) + 1}")).ToList();
    }
}
