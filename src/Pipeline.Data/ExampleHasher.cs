using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Data;

/// <summary>
/// A 128-bit content hash of a conversation (roles, contents, chosen, rejected; not the id or source), used for exact
/// de-duplication, the train/validation split and derived ids. SHA-256 truncated to 16 bytes: collisions are
/// negligible at billions of rows and the hash is stable across machines and .NET versions.
/// </summary>
public static class ExampleHasher
{
    // Separators that cannot occur in normalized text (control characters are removed by CanonicalText), so
    // ("ab","c") and ("a","bc") hash differently.
    private const byte FieldSeparator = 0x1F;
    private const byte MessageSeparator = 0x1E;
    private const byte ChosenMarker = 0x1D;
    private const byte RejectedMarker = 0x1C;

    public static UInt128 ContentHash(Example example) =>
        ContentHash(example.Messages, example.Chosen, example.Rejected);

    public static UInt128 ContentHash(IReadOnlyList<ChatMessage> messages, string? chosen, string? rejected)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var message in messages)
        {
            AppendText(hash, message.Role);
            hash.AppendData([FieldSeparator]);
            AppendText(hash, message.Content);
            hash.AppendData([MessageSeparator]);
        }
        if (chosen is not null)
        {
            hash.AppendData([ChosenMarker]);
            AppendText(hash, chosen);
        }
        if (rejected is not null)
        {
            hash.AppendData([RejectedMarker]);
            AppendText(hash, rejected);
        }
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return BinaryPrimitives.ReadUInt128BigEndian(digest[..16]);
    }

    /// <summary>
    /// What the train/validation split hashes. A preference pair's reply pair alone (chosen, rejected): the same two
    /// replies under another prompt are one pair to a reward model, and with the whole example hashed they could sit
    /// on both sides of the split, leaking validation into training. Any other example: its <see cref="ContentHash(Example)"/>.
    /// </summary>
    public static UInt128 SplitKey(Example example)
    {
        if (example.Chosen is null || example.Rejected is null) return ContentHash(example);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData([ChosenMarker]);
        AppendText(hash, example.Chosen);
        hash.AppendData([RejectedMarker]);
        AppendText(hash, example.Rejected);
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return BinaryPrimitives.ReadUInt128BigEndian(digest[..16]);
    }

    /// <summary>The id given to examples whose source has none: the content hash as 32 lowercase hex digits.</summary>
    public static string DerivedId(IReadOnlyList<ChatMessage> messages, string? chosen, string? rejected) =>
        ContentHash(messages, chosen, rejected).ToString("x32");

    private static void AppendText(IncrementalHash hash, string text)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            int length = Encoding.UTF8.GetBytes(text, buffer);
            hash.AppendData(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
