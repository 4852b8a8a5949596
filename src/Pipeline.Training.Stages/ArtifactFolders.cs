using Pipeline.Artifacts;
using Pipeline.Contracts;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Training.Stages;

/// <summary>Moves whole folders between the artifact store and local disk (models, datasets, checkpoints).</summary>
internal static class ArtifactFolders
{
    /// <summary>
    /// Downloads an artifact (verified) into a folder named after its id under this machine's model cache, once:
    /// artifacts are immutable, so a folder whose manifest copy is present is complete and reused.
    /// </summary>
    public static async Task<string> FetchAsync(IArtifactStore store, ArtifactRef artifact, CancellationToken ct)
    {
        var folder = Path.Combine(Path.GetTempPath(), "pipeline-artifact-cache", artifact.Id.Replace('/', '_'));
        if (File.Exists(Path.Combine(folder, ArtifactManifest.FileName))) return folder;
        var partial = folder + $".{Guid.NewGuid():N}.partial";
        await store.DownloadAsync(artifact.Id, partial, ct).ConfigureAwait(false);
        try
        {
            Directory.Move(partial, folder);
        }
        catch (IOException) when (File.Exists(Path.Combine(folder, ArtifactManifest.FileName)))
        {
            Directory.Delete(partial, recursive: true); // another slice on this machine fetched it meanwhile
        }
        return folder;
    }

    /// <summary>Uploads every file of a local folder as one new artifact.</summary>
    public static async Task UploadAsync(StageContext context, string artifactId, string folder, ArtifactKind kind,
        IReadOnlyList<string> parents, CancellationToken ct)
    {
        if (await context.Artifacts.ExistsAsync(artifactId, ct).ConfigureAwait(false)) return; // committed by a slice that then died
        var writer = await context.Artifacts.CreateAsync(artifactId, new ArtifactInfo
        {
            Kind = kind, ProducerStage = context.Stage, RunId = context.RunId, ConfigHash = context.ConfigHash, Parents = parents,
        }, ct).ConfigureAwait(false);
        await using var writerScope = writer.ConfigureAwait(false);
        await writer.AddFolderAsync(folder, ct).ConfigureAwait(false);
        await writer.CommitAsync(ct).ConfigureAwait(false);
    }
}
