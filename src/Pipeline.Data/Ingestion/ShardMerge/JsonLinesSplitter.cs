namespace Pipeline.Data.Ingestion.ShardMerge;

/// <summary>A byte range of one input file that starts and ends at line boundaries, and the 1-based line it starts at.</summary>
public sealed record InputRange(long Start, long End, long FirstLine)
{
    public long Length => End - Start;
}

/// <summary>
/// Cuts a JSON Lines file into ranges of about <c>targetBytes</c> that end right after a newline, so no record is
/// split, and numbers each range's first line so that rows are still cited by their line in the whole file. One
/// sequential pass that only counts newlines (vectorized), far cheaper than parsing the file.
/// </summary>
public static class JsonLinesSplitter
{
    private const int BufferBytes = 1 << 20;

    /// <summary>
    /// Each range is at least <paramref name="targetBytes"/> long (it ends at the first newline at or after that),
    /// except the last; a last range shorter than an eighth of the target is joined to the one before it.
    /// </summary>
    public static IReadOnlyList<InputRange> Split(string path, long targetBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetBytes, 1);
        var ranges = new List<InputRange>();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = new byte[BufferBytes];
        long offset = 0, newlines = 0, rangeStart = 0, rangeLine = 1;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var span = buffer.AsSpan(0, read);
            int i = 0;
            while (i < read)
            {
                // The first byte that may end the current range: range start + target - 1.
                long eligible = rangeStart + targetBytes - 1 - (offset + i);
                if (eligible >= read - i)
                {
                    newlines += span[i..].Count((byte)'\n');
                    break;
                }
                int from = i + (int)Math.Max(0, eligible);
                newlines += span[i..from].Count((byte)'\n');
                int newline = span[from..].IndexOf((byte)'\n');
                if (newline < 0) break; // no newline in the rest of this buffer, and none was counted there
                int at = from + newline;
                newlines++;
                long end = offset + at + 1;
                ranges.Add(new InputRange(rangeStart, end, rangeLine));
                rangeStart = end;
                rangeLine = 1 + newlines;
                i = at + 1;
            }
            offset += read;
        }
        if (offset > rangeStart)
        {
            if (ranges.Count > 0 && (offset - rangeStart) * 8 < targetBytes)
                ranges[^1] = ranges[^1] with { End = offset };
            else
                ranges.Add(new InputRange(rangeStart, offset, rangeLine));
        }
        return ranges;
    }
}
