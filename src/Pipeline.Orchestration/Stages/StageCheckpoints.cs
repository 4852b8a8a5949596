using Pipeline.Artifacts;
using Pipeline.Contracts;

namespace Pipeline.Orchestration.Stages;

/// <summary>
/// A stage's checkpoints: each one an immutable artifact of kind checkpoint, the latest one named in the
/// stage record. Saving is fenced by the lease: a replica that lost the stage to another cannot move the
/// pointer, so a slow zombie never overwrites the new owner's progress.
/// </summary>
public sealed class StageCheckpoints
{
    private readonly IArtifactStore artifacts;
    private readonly StageLease lease;
    private readonly string prefix;
    private readonly string configHash;

    internal StageCheckpoints(IArtifactStore artifacts, StageLease lease, string prefix, string configHash)
    {
        this.artifacts = artifacts;
        this.lease = lease;
        this.prefix = prefix;
        this.configHash = configHash;
    }

    /// <summary>The id of the latest checkpoint artifact, or null when the stage starts from scratch.</summary>
    public string? LatestId => this.lease.Record.LatestCheckpoint;

    /// <summary>The latest checkpoint's manifest, verified to exist; null when there is none.</summary>
    public async Task<ArtifactManifest?> GetLatestAsync(CancellationToken ct) =>
        LatestId is null ? null : await this.artifacts.GetManifestAsync(LatestId, ct).ConfigureAwait(false);

    /// <summary>Opens a file of the latest checkpoint (verified against its manifest as it is read).</summary>
    public Task<Stream> OpenLatestAsync(string relativePath, CancellationToken ct) =>
        LatestId is null
            ? throw new InvalidOperationException("There is no checkpoint to open; check LatestId first.")
            : this.artifacts.OpenReadAsync(LatestId, relativePath, ct);

    /// <summary>Writes a new checkpoint with <paramref name="write"/> and makes it the latest.</summary>
    public async Task<string> SaveAsync(Func<IArtifactWriter, Task> write, CancellationToken ct)
    {
        var id = $"{this.prefix}/checkpoints/{this.lease.Record.CheckpointCount + 1:D6}-{Guid.NewGuid().ToString("N")[..8]}";
        var parents = LatestId is null ? Array.Empty<string>() : [LatestId];
        {
            var writer = await artifacts.CreateAsync(id, new ArtifactInfo
            {
                Kind = ArtifactKind.Checkpoint,
                ProducerStage = lease.Record.Stage,
                RunId = lease.Record.RunId,
                ConfigHash = configHash,
                Parents = parents,
            }, ct).ConfigureAwait(false);
            await using (writer.ConfigureAwait(false))
            {
                await write(writer).ConfigureAwait(false);
                await writer.CommitAsync(ct).ConfigureAwait(false);
            }
        }
        await this.lease.RecordCheckpointAsync(id, ct).ConfigureAwait(false);
        return id;
    }
}
