using System.Security.Cryptography;

namespace Pipeline.Artifacts.Tests.Support;

/// <summary>
/// Deterministic pseudo-random bytes produced chunk by chunk (xorshift64), so a test can stream
/// megabytes through a store and know the expected SHA-256 without ever holding the whole file.
/// </summary>
public static class GeneratedContent
{
    public static async Task<(long Size, string Sha256)> WriteAsync(Stream destination, long size, int chunkSize, ulong seed = 0x9E3779B97F4A7C15)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[chunkSize];
        var state = seed;
        long written = 0;
        while (written < size)
        {
            var count = (int)Math.Min(chunkSize, size - written);
            for (var i = 0; i < count; i++)
            {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                buffer[i] = (byte)state;
            }
            await destination.WriteAsync(buffer.AsMemory(0, count));
            hash.AppendData(buffer, 0, count);
            written += count;
        }
        return (written, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>Reads a stream to the end with a small buffer, returning its size and SHA-256.</summary>
    public static async Task<(long Size, string Sha256)> HashByReadingAsync(Stream source, int bufferSize)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[bufferSize];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            total += read;
        }
        return (total, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
