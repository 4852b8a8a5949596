using System.Globalization;
using System.Text;

namespace Pipeline.Data.Cards;

/// <summary>Renders a <see cref="DataCard"/> as Markdown tables a person reads in a repository or a report.</summary>
public static class DataCardMarkdown
{
    private const int BarWidth = 30;

    public static string Render(DataCard card)
    {
        var md = new StringBuilder();
        md.Append("# Data card\n\n");

        md.Append("## Summary\n\n");
        Table(md, ["", "rows"],
        [
            ["read", Count(card.RowsRead)],
            ["bad (unreadable)", Count(card.BadRows)],
            ["dropped", Count(card.DroppedRows)],
            ["train", Count(card.TrainRows)],
            ["validation", Count(card.ValidationRows)],
        ]);
        if (card.Settings is { } settings)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"Seed {settings.Seed}, validation fraction {settings.ValidationFraction:0.###}, shard size {settings.ShardSize:N0} rows, filters: {(settings.Filters.Count == 0 ? "none" : string.Join(", ", settings.Filters))}.\n\n");
        }

        md.Append("## Inputs\n\n");
        Table(md, ["file", "format", "read", "bad", "dropped", "kept"],
            card.Inputs.Select(i => (IReadOnlyList<string>)[Code(i.Path), i.Format, Count(i.RowsRead), Count(i.BadRows), Count(i.Dropped), Count(i.Kept)]).ToList());

        Reasons(md, "Dropped rows", card.Drops, card.RowsRead);
        Reasons(md, "Bad rows", card.BadRowReasons, card.RowsRead);

        foreach (var histogram in new[] { card.CharacterLengths, card.WhitespaceTokenLengths })
        {
            md.Append(CultureInfo.InvariantCulture, $"## Length of kept examples ({histogram.Unit})\n\n");
            long max = Math.Max(1, histogram.Counts.DefaultIfEmpty(0).Max());
            Table(md, [histogram.Unit, "examples", ""],
                histogram.Counts.Select((count, i) => (IReadOnlyList<string>)[histogram.Label(i), Count(count), new string('█', (int)Math.Ceiling((double)count * BarWidth / max))]).ToList());
        }

        if (card.Counters.Count > 0)
        {
            md.Append("## Counters\n\n");
            Table(md, ["counter", "value"], card.Counters.Select(c => (IReadOnlyList<string>)[Code(c.Key), Count(c.Value)]).ToList());
        }

        foreach (var section in card.Sections)
        {
            md.Append(CultureInfo.InvariantCulture, $"## {section.Title}\n\n");
            if (section.Note is not null) md.Append(Cell(section.Note)).Append("\n\n");
            Table(md, section.Columns, section.Rows);
        }

        if (card.Shards.Count > 0)
        {
            md.Append("## Shards\n\n");
            Table(md, ["file", "split", "rows"], card.Shards.Select(s => (IReadOnlyList<string>)[Code(s.Path), s.Split, Count(s.Rows)]).ToList());
        }
        return md.ToString().TrimEnd('\n') + "\n";
    }

    private static void Reasons(StringBuilder md, string title, SortedDictionary<string, ReasonSummary> reasons, long rowsRead)
    {
        md.Append(CultureInfo.InvariantCulture, $"## {title}\n\n");
        if (reasons.Count == 0)
        {
            md.Append("None.\n\n");
            return;
        }
        Table(md, ["reason", "rows", "of rows read"],
            reasons.Select(r => (IReadOnlyList<string>)[Code(r.Key), Count(r.Value.Count), Percent(r.Value.Count, rowsRead)]).ToList());
        foreach (var (reason, summary) in reasons)
        {
            if (summary.Examples.Count == 0) continue;
            md.Append(CultureInfo.InvariantCulture, $"First `{reason}` rows:\n\n");
            foreach (var row in summary.Examples)
            {
                md.Append(CultureInfo.InvariantCulture, $"- `{row.File}:{row.Line}` {Cell(row.Detail)}");
                if (!string.IsNullOrEmpty(row.Excerpt)) md.Append(CultureInfo.InvariantCulture, $" — “{Cell(row.Excerpt)}”");
                md.Append('\n');
            }
            md.Append('\n');
        }
    }

    private static void Table(StringBuilder md, IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        md.Append("| ").Append(string.Join(" | ", columns.Select(Cell))).Append(" |\n");
        md.Append('|').Append(string.Join('|', columns.Select(_ => "---"))).Append("|\n");
        foreach (var row in rows) md.Append("| ").Append(string.Join(" | ", row.Select(Cell))).Append(" |\n");
        md.Append('\n');
    }

    /// <summary>Table cells cannot hold pipes or line breaks.</summary>
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string Code(string text) => $"`{text}`";

    private static string Percent(long part, long whole) =>
        (100.0 * part / Math.Max(1, whole)).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
