namespace Pipeline.Tokenizers;

/// <summary>
/// GPT-2's <c>bytes_to_unicode</c>: every byte maps to a printable character so that byte-level BPE tokens
/// are strings (space is 'Ġ', newline 'Ċ'). Printable Latin-1 bytes map to themselves; the other 68 bytes
/// map to U+0100 onwards in byte order.
/// </summary>
public static class ByteLevelAlphabet
{
    private static readonly char[] ByteToCharTable = BuildByteToChar();
    private static readonly Dictionary<char, byte> CharToByteTable = BuildCharToByte();

    public static char ByteToChar(byte b) => ByteToCharTable[b];

    public static bool TryCharToByte(char c, out byte b) => CharToByteTable.TryGetValue(c, out b);

    /// <summary>The UTF-8 bytes of <paramref name="text"/> written in the byte-level alphabet.</summary>
    public static string Encode(ReadOnlySpan<char> text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text.ToArray());
        return EncodeBytes(bytes);
    }

    public static string EncodeBytes(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[i] = ByteToCharTable[bytes[i]];
        }
        return new string(chars);
    }

    private static char[] BuildByteToChar()
    {
        var table = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            table[b] = printable ? (char)b : (char)next++;
        }
        return table;
    }

    private static Dictionary<char, byte> BuildCharToByte()
    {
        var map = new Dictionary<char, byte>(256);
        for (var b = 0; b < 256; b++)
        {
            map[ByteToCharTable[b]] = (byte)b;
        }
        return map;
    }
}
