using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Artifacts;
using Pipeline.Data.Ingestion;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Ingestion.ShardCoordination;

/// <summary>
/// The coordinator's checkpoint: the shard plan (sharding.json), and once merging, the merge's own checkpoint
/// (ingestion.ckpt) and the staging artifact of every output file written so far (files.json). A checkpoint with
/// sharding.json is what tells a replica that takes the stage over that the run is sharded.
/// </summary>
internal static class ShardedIngestionCheckpoint
{
    private const string PlanFile = "sharding.json";
    private const string MergeFile = "ingestion.ckpt";
    private const string FilesFile = "files.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public sealed record State(ShardPlan Plan, IngestionCheckpoint? Merge, IReadOnlyDictionary<string, string> Files);

    public static Task SaveAsync(StageCheckpoints checkpoints, ShardPlan plan, CancellationToken ct) =>
        SaveAsync(checkpoints, plan, null, new Dictionary<string, string>(), ct);

    public static async Task SaveAsync(StageCheckpoints checkpoints, ShardPlan plan, IngestionCheckpoint? merge, IReadOnlyDictionary<string, string> files, CancellationToken ct) =>
        await checkpoints.SaveAsync(async writer =>
        {
            await writer.WriteFileAsync(PlanFile, stream => JsonSerializer.SerializeAsync(stream, plan, Json, ct), ct).ConfigureAwait(false);
            if (merge is null) return;
            await writer.WriteFileAsync(MergeFile, stream => IngestionCheckpointSerializer.WriteAsync(stream, merge, ct), ct).ConfigureAwait(false);
            await writer.WriteFileAsync(FilesFile, stream => JsonSerializer.SerializeAsync(stream, files, cancellationToken: ct), ct).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);

    /// <summary>The latest checkpoint if it is a sharded run's; null when there is none or it is the single pass's.</summary>
    public static async Task<State?> LoadAsync(StageCheckpoints checkpoints, CancellationToken ct)
    {
        var manifest = await checkpoints.GetLatestAsync(ct).ConfigureAwait(false);
        if (manifest?.FindFile(PlanFile) is null) return null;
        var plan = JsonSerializer.Deserialize<ShardPlan>(await ReadVerifiedAsync(checkpoints, PlanFile, ct).ConfigureAwait(false), Json)
            ?? throw new InvalidDataException($"{checkpoints.LatestId}/{PlanFile} is empty.");
        if (manifest.FindFile(MergeFile) is null) return new State(plan, null, new Dictionary<string, string>());
        var merge = IngestionCheckpointSerializer.FromBytes(await ReadVerifiedAsync(checkpoints, MergeFile, ct).ConfigureAwait(false));
        var files = JsonSerializer.Deserialize<Dictionary<string, string>>(await ReadVerifiedAsync(checkpoints, FilesFile, ct).ConfigureAwait(false))
            ?? throw new InvalidDataException($"{checkpoints.LatestId}/{FilesFile} is empty.");
        return new State(plan, merge, files);
    }

    private static async Task<byte[]> ReadVerifiedAsync(StageCheckpoints checkpoints, string file, CancellationToken ct)
    {
        // Read fully first so the verifying stream checks size and hash before anything is trusted.
        var stream = await checkpoints.OpenLatestAsync(file, ct).ConfigureAwait(false);
        await using var streamScope = stream.ConfigureAwait(false);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct).ConfigureAwait(false);
        return buffer.ToArray();
    }
}
