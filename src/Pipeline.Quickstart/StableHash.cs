namespace Pipeline.Quickstart;

/// <summary>FNV-1a over UTF-16 code units: a hash that, unlike string.GetHashCode, is the same in every process.</summary>
internal static class StableHash
{
    public static ulong Of(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash ^= c;
            hash = unchecked(hash * 1099511628211UL);
        }
        return hash;
    }

    /// <summary>A stable choice among <paramref name="count"/> options for this text and purpose.</summary>
    public static int Choose(string text, string purpose, int count) => (int)(Of(purpose + "\u0001" + text) % (ulong)count);
}
