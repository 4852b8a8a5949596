using System.Text;

namespace Pipeline.Data.Normalization;

/// <summary>
/// Unicode Normalization Form C (UAX #15: canonical decomposition, canonical ordering, canonical composition) in
/// managed code. The solution runs with InvariantGlobalization, where <see cref="string.Normalize()"/> leaves
/// non-ASCII text unchanged, so NFC cannot come from the runtime. Tables: <see cref="UnicodeNormalizationData"/>.
/// </summary>
public static class UnicodeNfc
{
    // Hangul syllables are composed and decomposed arithmetically (Unicode chapter 3.12).
    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    private const int LCount = 19, VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = LCount * NCount;

    /// <summary>No code point below U+0300 changes under NFC, and most text has none above: the fast path.</summary>
    private const char FirstAffected = '\u0300';

    private static readonly Dictionary<int, int> CombiningClass = LoadCombiningClasses();
    private static readonly Dictionary<int, int[]> Decomposition = LoadDecompositions();
    private static readonly Dictionary<long, int> Composition = LoadCompositions();

    public static string Normalize(string text)
    {
        if (text.AsSpan().IndexOfAnyInRange(FirstAffected, char.MaxValue) < 0) return text;
        var codePoints = Decompose(text);
        SortCanonically(codePoints);
        Compose(codePoints);
        var result = new StringBuilder(text.Length);
        foreach (int cp in codePoints) result.Append(char.ConvertFromUtf32(cp));
        string normalized = result.ToString();
        return normalized == text ? text : normalized;
    }

    public static int CanonicalCombiningClass(int codePoint) => CombiningClass.GetValueOrDefault(codePoint);

    private static List<int> Decompose(string text)
    {
        var codePoints = new List<int>(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            int cp = rune.Value;
            int s = cp - SBase;
            if (s is >= 0 and < SCount)
            {
                codePoints.Add(LBase + s / NCount);
                codePoints.Add(VBase + s % NCount / TCount);
                if (s % TCount != 0) codePoints.Add(TBase + s % TCount);
            }
            else if (Decomposition.TryGetValue(cp, out var parts)) codePoints.AddRange(parts);
            else codePoints.Add(cp);
        }
        return codePoints;
    }

    /// <summary>Stable sort of each run of non-starters by combining class.</summary>
    private static void SortCanonically(List<int> codePoints)
    {
        for (int i = 1; i < codePoints.Count; i++)
        {
            int cp = codePoints[i];
            int cc = CanonicalCombiningClass(cp);
            if (cc == 0) continue;
            int j = i;
            while (j > 0 && CanonicalCombiningClass(codePoints[j - 1]) > cc)
            {
                codePoints[j] = codePoints[j - 1];
                j--;
            }
            codePoints[j] = cp;
        }
    }

    /// <summary>
    /// Each character combines with the last starter when nothing between blocks it: it is adjacent, or every
    /// character between has a lower, non-zero combining class (they are sorted, so the last one tells).
    /// </summary>
    private static void Compose(List<int> codePoints)
    {
        int starter = -1;
        int lastClass = 0;
        int write = 0;
        for (int read = 0; read < codePoints.Count; read++)
        {
            int cp = codePoints[read];
            int cc = CanonicalCombiningClass(cp);
            if (starter >= 0)
            {
                bool adjacent = write - 1 == starter;
                if ((adjacent || (lastClass != 0 && lastClass < cc)) && TryCompose(codePoints[starter], cp, out int composite))
                {
                    codePoints[starter] = composite;
                    continue;
                }
            }
            if (cc == 0) starter = write;
            lastClass = cc;
            codePoints[write++] = cp;
        }
        codePoints.RemoveRange(write, codePoints.Count - write);
    }

    private static bool TryCompose(int first, int second, out int composite)
    {
        int l = first - LBase, v = second - VBase;
        if (l is >= 0 and < LCount && v is >= 0 and < VCount)
        {
            composite = SBase + (l * VCount + v) * TCount;
            return true;
        }
        int s = first - SBase, t = second - TBase;
        if (s is >= 0 and < SCount && s % TCount == 0 && t is > 0 and < TCount)
        {
            composite = first + t;
            return true;
        }
        return Composition.TryGetValue(((long)first << 21) | (uint)second, out composite);
    }

    private static Dictionary<int, int> LoadCombiningClasses()
    {
        var data = UnicodeNormalizationData.CombiningClasses;
        var map = new Dictionary<int, int>(data.Length / 2);
        for (int i = 0; i < data.Length; i += 2) map[data[i]] = data[i + 1];
        return map;
    }

    private static Dictionary<int, int[]> LoadDecompositions()
    {
        var data = UnicodeNormalizationData.Decompositions;
        var map = new Dictionary<int, int[]>();
        for (int i = 0; i < data.Length; i += 2 + data[i + 1]) map[data[i]] = data.Slice(i + 2, data[i + 1]).ToArray();
        return map;
    }

    private static Dictionary<long, int> LoadCompositions()
    {
        var data = UnicodeNormalizationData.Compositions;
        var map = new Dictionary<long, int>(data.Length / 3);
        for (int i = 0; i < data.Length; i += 3) map[((long)data[i] << 21) | (uint)data[i + 1]] = data[i + 2];
        return map;
    }
}
