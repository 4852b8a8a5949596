using System.Buffers.Binary;
using System.Text.Json;
using Pipeline.Data.Cards;

namespace Pipeline.Data.Ingestion;

/// <summary>
/// A checkpoint file: the magic "PDCK", a version, the checkpoint as JSON (length-prefixed), then the dedup hash set
/// as raw 16-byte entries (length-prefixed), because millions of hashes would triple in size as base64 JSON.
/// </summary>
public static class IngestionCheckpointSerializer
{
    private static ReadOnlySpan<byte> Magic => "PDCK"u8;

    public static async Task WriteAsync(Stream output, IngestionCheckpoint checkpoint, CancellationToken ct = default)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(checkpoint, DataCard.JsonOptions);
        var header = new byte[4 + 4 + 4];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), checkpoint.Version);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), json.Length);
        await output.WriteAsync(header, ct).ConfigureAwait(false);
        await output.WriteAsync(json, ct).ConfigureAwait(false);
        var hashLength = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(hashLength, checkpoint.SeenHashes.LongLength);
        await output.WriteAsync(hashLength, ct).ConfigureAwait(false);
        await output.WriteAsync(checkpoint.SeenHashes, ct).ConfigureAwait(false);
    }

    public static async Task<IngestionCheckpoint> ReadAsync(Stream input, CancellationToken ct = default)
    {
        var header = new byte[12];
        await ReadExactlyAsync(input, header, "header", ct).ConfigureAwait(false);
        if (!header.AsSpan(0, 4).SequenceEqual(Magic))
            throw new InvalidDataException("Not an ingestion checkpoint: the file does not start with 'PDCK'.");
        int version = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4));
        if (version != IngestionCheckpoint.CurrentVersion)
            throw new InvalidDataException($"Ingestion checkpoint version {version} is not supported (this build reads version {IngestionCheckpoint.CurrentVersion}); start the stage over.");
        var json = new byte[BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8))];
        await ReadExactlyAsync(input, json, "state", ct).ConfigureAwait(false);
        var checkpoint = JsonSerializer.Deserialize<IngestionCheckpoint>(json, DataCard.JsonOptions)
            ?? throw new InvalidDataException("The ingestion checkpoint's state is null.");
        var lengthBytes = new byte[8];
        await ReadExactlyAsync(input, lengthBytes, "hash set length", ct).ConfigureAwait(false);
        long length = BinaryPrimitives.ReadInt64LittleEndian(lengthBytes);
        if (length < 0 || length % 16 != 0 || length > Array.MaxLength)
            throw new InvalidDataException($"The ingestion checkpoint's hash set length {length} is not a multiple of 16 bytes.");
        var hashes = new byte[length];
        await ReadExactlyAsync(input, hashes, "hash set", ct).ConfigureAwait(false);
        return checkpoint with { SeenHashes = hashes };
    }

    public static byte[] ToBytes(IngestionCheckpoint checkpoint)
    {
        using var stream = new MemoryStream();
        WriteAsync(stream, checkpoint).GetAwaiter().GetResult();
        return stream.ToArray();
    }

    public static IngestionCheckpoint FromBytes(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return ReadAsync(stream).GetAwaiter().GetResult();
    }

    private static async Task ReadExactlyAsync(Stream input, byte[] buffer, string part, CancellationToken ct)
    {
        try
        {
            await input.ReadExactlyAsync(buffer, ct).ConfigureAwait(false);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"The ingestion checkpoint is truncated (its {part} is incomplete).");
        }
    }
}
