using System.Globalization;

namespace Pipeline.Data.Cards;

/// <summary>
/// Why an ingest kept no rows, for the stage failure: the most frequent reasons (drops and bad rows together) with
/// their counts and the first file:line of each, so a person can open the file at the right place. A dataset with
/// no rows would only fail later, in training, with nothing to say why.
/// </summary>
public static class EmptyDatasetReport
{
    public const int TopReasons = 3;

    private const int MaxDetailLength = 160;

    /// <summary>Null when the card kept at least one row; otherwise the failure's text.</summary>
    public static string? Describe(DataCard card)
    {
        if (card.TrainRows + card.ValidationRows > 0) return null;
        var inputs = string.Join(", ", card.Inputs.Select(i => i.Path));
        if (card.RowsRead == 0)
            return $"the ingest kept no rows: the inputs ({inputs}) hold no records; check the paths and that the files are not empty.";

        var reasons = card.Drops.Select(d => (Kind: "dropped", Reason: d.Key, Summary: d.Value))
            .Concat(card.BadRowReasons.Select(b => (Kind: "unreadable", Reason: b.Key, Summary: b.Value)))
            .OrderByDescending(r => r.Summary.Count).ThenBy(r => r.Reason, StringComparer.Ordinal)
            .ToList();
        var lines = reasons.Take(TopReasons).Select(r =>
        {
            string count = Rows(r.Summary.Count);
            string first = r.Summary.Examples.FirstOrDefault() is { } row
                ? $"; first at {row.File}:{row.Line}: {Shorten(row.Detail)}"
                : "";
            return $"  - {r.Reason} ({r.Kind}): {count}{first}";
        });
        int hidden = reasons.Count - TopReasons;
        string more = hidden > 0 ? $"\n  ({hidden} less frequent reason{(hidden == 1 ? "" : "s")} not shown)" : "";
        return $"the ingest kept no rows: all {Rows(card.RowsRead)} read from {inputs} were dropped or unreadable " +
               $"({Count(card.BadRows)} unreadable, {Count(card.DroppedRows)} dropped). Top reasons:\n" +
               string.Join("\n", lines) + more +
               "\nFix the rows at those lines, or the ingest settings that drop them.";
    }

    private static string Rows(long count) => Count(count) + (count == 1 ? " row" : " rows");

    private static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    private static string Shorten(string detail)
    {
        string oneLine = detail.ReplaceLineEndings(" ");
        return oneLine.Length <= MaxDetailLength ? oneLine : oneLine[..(MaxDetailLength - 1)] + "…";
    }
}
