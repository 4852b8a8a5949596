namespace Pipeline.Artifacts;

/// <summary>Tuning of the blob backend.</summary>
public sealed record BlobArtifactStoreOptions
{
    /// <summary>
    /// Size of each block of a streaming upload, and the memory one open upload holds: 4 MiB keeps
    /// memory small while a 2 GB file stays far below Azure's 50,000-block limit (200 GB).
    /// </summary>
    public int UploadBlockSizeBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Size of each ranged download of a streaming read (4 MiB, for the same reasons).</summary>
    public int ReadBufferSizeBytes { get; init; } = 4 * 1024 * 1024;

    internal void Validate()
    {
        if (UploadBlockSizeBytes is < 64 * 1024 or > 100 * 1024 * 1024)
            throw new ArgumentOutOfRangeException(nameof(UploadBlockSizeBytes), UploadBlockSizeBytes, "UploadBlockSizeBytes must be between 64 KiB and 100 MiB.");
        if (ReadBufferSizeBytes is < 4 * 1024 or > 100 * 1024 * 1024)
            throw new ArgumentOutOfRangeException(nameof(ReadBufferSizeBytes), ReadBufferSizeBytes, "ReadBufferSizeBytes must be between 4 KiB and 100 MiB.");
    }
}
