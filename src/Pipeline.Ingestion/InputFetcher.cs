using Pipeline.Artifacts;
using Pipeline.Configuration.Ingest;
using Pipeline.Configuration;
using Pipeline.Data.Readers;
using Pipeline.Orchestration.Stages;
using OrchestrationInput = Pipeline.Orchestration.Runs.InputReference;

namespace Pipeline.Ingestion;

/// <summary>
/// Fetches the stage's input files from the artifact store (verified) to local disk. The folder is named
/// after the run, not the replica, so a replica that takes over resumes with identical input paths.
/// </summary>
internal static class InputFetcher
{
    public static async Task<IReadOnlyList<FetchedInput>> FetchAsync(StageContext context, IngestSettings settings, CancellationToken ct)
    {
        var root = Path.Combine(Path.GetTempPath(), "pipeline-inputs", context.RunId.ToString("N"));
        var inputs = new List<FetchedInput>();
        for (var i = 0; i < settings.Inputs.Count; i++)
        {
            var input = settings.Inputs[i];
            if (!OrchestrationInput.IsArtifact(input.Path))
                throw new StageFailedException(
                    $"stages.ingest.inputs[{i}].path: '{input.Path}' is a local path on the machine that submitted the run; " +
                    "the stage reads inputs from the artifact store. Submit with `pipeline run` or `pipeline submit`, which upload local files.");
            var reference = OrchestrationInput.Parse(input.Path);
            var manifest = await context.Artifacts.GetManifestAsync(reference.ArtifactId, ct).ConfigureAwait(false);
            var files = reference.FileName is { } name
                ? [manifest.FindFile(name) ?? throw new StageFailedException($"stages.ingest.inputs[{i}].path: artifact '{reference.ArtifactId}' has no file '{name}'.")]
                : manifest.Files;
            foreach (var file in files)
            {
                var local = Path.Combine(root, i.ToString(), file.Path);
                await DownloadAsync(context, reference.ArtifactId, file.Path, local, ct).ConfigureAwait(false);
                inputs.Add(new FetchedInput(new DatasetInput(local, Map(input.Format), DisplayName: file.Path), reference.ArtifactId, file.Path));
            }
        }
        return inputs;
    }

    private static async Task DownloadAsync(StageContext context, string artifactId, string path, string local, CancellationToken ct)
    {
        var partial = local + $".{Guid.NewGuid():N}.partial";
        await context.Artifacts.CopyFileToAsync(artifactId, path, partial, ct).ConfigureAwait(false);
        File.Move(partial, local, overwrite: true);
    }

    private static DataFormat Map(InputFormat format) => format switch
    {
        InputFormat.Auto => DataFormat.Auto,
        InputFormat.Alpaca => DataFormat.Alpaca,
        InputFormat.ShareGpt => DataFormat.ShareGpt,
        InputFormat.OpenAi => DataFormat.OpenAi,
        InputFormat.Csv => DataFormat.Csv,
        InputFormat.Parquet => DataFormat.Parquet,
        InputFormat.Preference => DataFormat.Preference,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown input format"),
    };
}

/// <summary>An input fetched to local disk, and the artifact file it came from (a shard may read it from there).</summary>
internal sealed record FetchedInput(DatasetInput Input, string ArtifactId, string File);
