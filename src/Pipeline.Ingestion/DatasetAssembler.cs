using Pipeline.Artifacts;
using Pipeline.Contracts;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Ingestion;

/// <summary>Copies the staged files into the one immutable dataset artifact, verifying each as it is read.</summary>
internal static class DatasetAssembler
{
    public static async Task AssembleAsync(StageContext context, string datasetId, IReadOnlyList<string> files,
        IReadOnlyDictionary<string, string> staged, CancellationToken ct)
    {
        // A replica that died after committing the dataset but before reporting it leaves it complete: reuse it.
        if (await context.Artifacts.ExistsAsync(datasetId, ct).ConfigureAwait(false))
        {
            await context.Artifacts.VerifyAsync(datasetId, ct).ConfigureAwait(false);
            return;
        }
        var writer = await context.Artifacts.CreateAsync(datasetId, new ArtifactInfo
        {
            Kind = ArtifactKind.Dataset,
            ProducerStage = context.Stage,
            RunId = context.RunId,
            ConfigHash = context.ConfigHash,
            Parents = staged.Values.Distinct().Order(StringComparer.Ordinal).ToList(),
        }, ct).ConfigureAwait(false);
        await using var writerScope = writer.ConfigureAwait(false);
        foreach (var file in files)
        {
            if (!staged.TryGetValue(file, out var source))
                throw new StageFailedException($"ingest: the file '{file}' was reported written but no staging artifact holds it.");
            var input = await context.Artifacts.OpenReadAsync(source, file, ct).ConfigureAwait(false);
            await using var inputScope = input.ConfigureAwait(false);
            var output = await writer.OpenWriteAsync(file, ct).ConfigureAwait(false);
            await using var outputScope = output.ConfigureAwait(false);
            await input.CopyToAsync(output, ct).ConfigureAwait(false);
        }
        await writer.CommitAsync(ct).ConfigureAwait(false);
    }
}
