using System.Globalization;
using System.Text.Json;
using Pipeline.Artifacts;
using Pipeline.Contracts;

namespace Pipeline.Evaluation.Report;

/// <summary>Reads what the report shows of a run from the artifact store: lineage from manifests, the data card, metric histories.</summary>
public static class ReportSources
{
    public const string DataCardJson = "data_card.json";
    public const string DataCardMarkdown = "data_card.md";

    /// <summary>
    /// The artifacts <paramref name="roots"/> were made from, themselves included, following every manifest's parents;
    /// oldest first. Manifests are the record: sizes and hashes are the ones verified on every read.
    /// </summary>
    public static async Task<IReadOnlyList<LineageArtifact>> LineageAsync(IArtifactStore store, IEnumerable<string> roots, CancellationToken ct)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(roots);
        var lineage = new List<LineageArtifact>();
        while (queue.TryDequeue(out var id))
        {
            if (!seen.Add(id)) continue;
            var manifest = await store.TryGetManifestAsync(id, ct).ConfigureAwait(false);
            if (manifest is null) continue;
            lineage.Add(new LineageArtifact(manifest.Id, manifest.Kind, manifest.ProducerStage, manifest.CreatedAt, manifest.ConfigHash,
                manifest.Parents, [.. manifest.Files.Select(f => new LineageFile(f.Path, f.Size, f.Sha256))]));
            foreach (var parent in manifest.Parents) queue.Enqueue(parent);
        }
        return [.. lineage.OrderBy(a => a.CreatedAt).ThenBy(a => a.Id, StringComparer.Ordinal)];
    }

    /// <summary>The data card of a dataset artifact: its top-level counts and counters as facts, and the Markdown card; null when it has none.</summary>
    public static async Task<DataCardSummary?> DataCardAsync(IArtifactStore store, string datasetId, CancellationToken ct)
    {
        var manifest = await store.TryGetManifestAsync(datasetId, ct).ConfigureAwait(false);
        if (manifest?.FindFile(DataCardJson) is null) return null;
        var facts = new List<KeyValuePair<string, string>>();
        {
            var stream = await store.OpenReadAsync(datasetId, DataCardJson, ct).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            using (var document = await JsonDocument.ParseAsync(stream, cancellationToken: ct).ConfigureAwait(false))
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.Number) facts.Add(new(property.Name, property.Value.GetRawText()));
                    else if (property.Value.ValueKind == JsonValueKind.Array && property.Name.Contains("input", StringComparison.OrdinalIgnoreCase))
                        facts.Add(new(property.Name, property.Value.GetArrayLength().ToString(CultureInfo.InvariantCulture)));
                    else if (property.Value.ValueKind == JsonValueKind.Object && property.Name.Contains("counter", StringComparison.OrdinalIgnoreCase))
                        facts.AddRange(property.Value.EnumerateObject().Where(c => c.Value.ValueKind == JsonValueKind.Number)
                            .Select(c => new KeyValuePair<string, string>($"{property.Name}.{c.Name}", c.Value.GetRawText())));
                }
            }
        }
        string? markdown = null;
        if (manifest.FindFile(DataCardMarkdown) is not null)
        {
            var stream = await store.OpenReadAsync(datasetId, DataCardMarkdown, ct).ConfigureAwait(false);
            await using var streamScope = stream.ConfigureAwait(false);
            using var reader = new StreamReader(stream);
            markdown = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
        }
        return new DataCardSummary(datasetId, facts, markdown);
    }

    /// <summary>Every metric history (metrics.jsonl) among the artifacts, labelled with the stage that wrote it; one per stage, the latest.</summary>
    public static async Task<IReadOnlyList<StageHistory>> HistoriesAsync(IArtifactStore store, IReadOnlyList<LineageArtifact> artifacts, string scratch, CancellationToken ct)
    {
        var histories = new Dictionary<string, StageHistory>(StringComparer.Ordinal);
        foreach (var artifact in artifacts.Where(a => a.Kind is ArtifactKind.Model or ArtifactKind.Adapter or ArtifactKind.Report))
        {
            if (artifact.Files.All(f => f.Path != MetricHistoryFile.FileName)) continue;
            var local = Path.Combine(scratch, "histories", Guid.NewGuid().ToString("N") + ".jsonl");
            await store.CopyFileToAsync(artifact.Id, MetricHistoryFile.FileName, local, ct).ConfigureAwait(false);
            var history = MetricHistoryFile.Read(local, artifact.ProducerStage, $"{artifact.Id}/{MetricHistoryFile.FileName}");
            if (history.Series.Count > 0) histories[artifact.ProducerStage] = history;
        }
        return [.. histories.Values];
    }
}
