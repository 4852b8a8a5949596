using System.Text;

namespace Pipeline.Cleaning.NearDuplicates;

/// <summary>
/// FNV-1a, 64-bit, over UTF-8 bytes. Written here because System.IO.Hashing is not referenced;
/// FNV-1a is enough for shingle hashing because the MinHash permutations re-hash every value
/// with a seeded universal hash, so FNV's weak avalanche never reaches the signature.
/// </summary>
public static class Fnv1a64
{
    public const ulong OffsetBasis = 14695981039346656037UL;
    public const ulong Prime = 1099511628211UL;

    public static ulong Hash(ReadOnlySpan<byte> bytes)
    {
        var hash = OffsetBasis;
        foreach (var b in bytes)
        {
            hash ^= b;
            hash *= Prime;
        }
        return hash;
    }

    /// <summary>Hash of the UTF-8 encoding of <paramref name="text"/>, without allocating.</summary>
    public static ulong Hash(ReadOnlySpan<char> text)
    {
        var hash = OffsetBasis;
        Span<byte> utf8 = stackalloc byte[4];
        while (!text.IsEmpty)
        {
            // Lone surrogates decode as U+FFFD, as Encoding.UTF8 would encode them.
            Rune.DecodeFromUtf16(text, out var rune, out var consumed);
            var written = rune.EncodeToUtf8(utf8);
            for (var i = 0; i < written; i++)
            {
                hash ^= utf8[i];
                hash *= Prime;
            }
            text = text[consumed..];
        }
        return hash;
    }
}
