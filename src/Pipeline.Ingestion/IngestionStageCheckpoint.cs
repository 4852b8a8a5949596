using System.Text.Json;
using Pipeline.Artifacts;
using Pipeline.Data.Ingestion;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Ingestion;

/// <summary>
/// The ingestion stage's checkpoint artifact: the dataset builder's own checkpoint (input position, dedup
/// hashes, counters) plus the staging artifact of every file written so far.
/// </summary>
internal static class IngestionStageCheckpoint
{
    private const string StateFile = "ingestion.ckpt";
    private const string FilesFile = "files.json";

    public static async Task SaveAsync(StageCheckpoints checkpoints, IngestionCheckpoint state, IReadOnlyDictionary<string, string> files, CancellationToken ct) =>
        await checkpoints.SaveAsync(async writer =>
        {
            await writer.WriteFileAsync(StateFile, stream => IngestionCheckpointSerializer.WriteAsync(stream, state, ct), ct).ConfigureAwait(false);
            await writer.WriteFileAsync(FilesFile, stream => JsonSerializer.SerializeAsync(stream, files, cancellationToken: ct), ct).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);

    public static async Task<(IngestionCheckpoint State, Dictionary<string, string> Files)?> LoadAsync(StageCheckpoints checkpoints, CancellationToken ct)
    {
        if (checkpoints.LatestId is null) return null;
        // Read fully into memory first so the verifying stream checks size and hash before anything is trusted.
        var state = await ReadVerifiedAsync(checkpoints, StateFile, ct).ConfigureAwait(false);
        var files = await ReadVerifiedAsync(checkpoints, FilesFile, ct).ConfigureAwait(false);
        return (IngestionCheckpointSerializer.FromBytes(state),
            JsonSerializer.Deserialize<Dictionary<string, string>>(files) ?? throw new InvalidDataException($"{checkpoints.LatestId}/{FilesFile} is empty."));
    }

    private static async Task<byte[]> ReadVerifiedAsync(StageCheckpoints checkpoints, string file, CancellationToken ct)
    {
        var stream = await checkpoints.OpenLatestAsync(file, ct).ConfigureAwait(false);
        await using var streamScope = stream.ConfigureAwait(false);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct).ConfigureAwait(false);
        return buffer.ToArray();
    }
}
