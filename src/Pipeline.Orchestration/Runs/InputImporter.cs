using Pipeline.Artifacts;
using Pipeline.Contracts;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Orchestration.Runs;

/// <summary>
/// Brings a run's local inputs (data files, model folders) into the artifact store, so that every stage,
/// embedded or distributed, reads its inputs from one place, verified, with lineage.
/// </summary>
public static class InputImporter
{
    public sealed record Imported(string ArtifactId, string FileName, string Reference);

    /// <summary>Uploads one file's bytes as a new artifact <c>imports/{guid}</c> holding that one file.</summary>
    public static async Task<Imported> ImportStreamAsync(IArtifactStore store, Stream content, string fileName, CancellationToken ct)
    {
        ArtifactKey.ValidateRelativePath(fileName);
        if (fileName.Contains('/')) throw new InvalidArtifactKeyException(fileName, "file name", "a file name must not contain '/'");
        var id = $"imports/{Guid.NewGuid():N}";
        {
            var writer = await store.CreateAsync(id, new ArtifactInfo { Kind = ArtifactKind.Dataset, ProducerStage = "import" }, ct).ConfigureAwait(false);
            await using (writer.ConfigureAwait(false))
            {
                await writer.WriteFileAsync(fileName, target => content.CopyToAsync(target, ct), ct).ConfigureAwait(false);
                await writer.CommitAsync(ct).ConfigureAwait(false);
            }
        }
        return new Imported(id, fileName, new InputReference(id, fileName).ToString());
    }

    /// <summary>Uploads a local file (as <c>artifact:ID#name</c>) or a whole folder such as a model (as <c>artifact:ID</c>).</summary>
    public static async Task<string> ImportPathAsync(IArtifactStore store, string path, CancellationToken ct)
    {
        if (File.Exists(path))
        {
            var file = File.OpenRead(path);
            await using var fileScope = file.ConfigureAwait(false);
            return (await ImportStreamAsync(store, file, Path.GetFileName(path), ct).ConfigureAwait(false)).Reference;
        }
        if (!Directory.Exists(path)) throw new FileNotFoundException($"Input '{path}' does not exist.", path);
        var id = $"imports/{Guid.NewGuid():N}";
        var kind = File.Exists(Path.Combine(path, "adapter_config.json")) ? ArtifactKind.Adapter : ArtifactKind.Model;
        var writer = await store.CreateAsync(id, new ArtifactInfo { Kind = kind, ProducerStage = "import" }, ct).ConfigureAwait(false);
        await using var writerScope = writer.ConfigureAwait(false);
        await writer.AddFolderAsync(path, ct).ConfigureAwait(false);
        await writer.CommitAsync(ct).ConfigureAwait(false);
        return new InputReference(id, null).ToString();
    }

    /// <summary>
    /// Rewrites the local paths of a run config (<c>stages.ingest.inputs[].path</c>, <c>stages.pretrain.corpus[]</c>,
    /// <c>stages.evaluate.prompts</c>, <c>stages.synthesize.seeds</c>, <c>stages.evaluate.models[].path</c> and <c>inputs.*</c>) to
    /// artifact references, uploading each with <paramref name="import"/>. Relative paths are relative to
    /// <paramref name="baseDirectory"/> (the config file's folder). Values already of the form artifact:... stay.
    /// </summary>
    public static async Task<string> RewriteLocalInputsAsync(string yaml, string baseDirectory, Func<string, Task<string>> import)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(yaml)) stream.Load(reader);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root) return yaml;

        var scalars = new List<YamlScalarNode>();
        if (Child(root, "inputs") is YamlMappingNode inputs)
            scalars.AddRange(inputs.Children.Values.OfType<YamlScalarNode>());
        if (Child(Child(Child(root, "stages"), "pretrain"), "corpus") is YamlSequenceNode corpus)
            scalars.AddRange(corpus.Children.OfType<YamlScalarNode>());
        if (Child(Child(Child(root, "stages"), "evaluate"), "prompts") is YamlScalarNode prompts)
            scalars.Add(prompts);
        if (Child(Child(Child(root, "stages"), "synthesize"), "seeds") is YamlScalarNode seeds)
            scalars.Add(seeds);
        if (Child(Child(Child(root, "stages"), "evaluate"), "models") is YamlSequenceNode models)
            scalars.AddRange(models.Children.OfType<YamlMappingNode>().Select(m => Child(m, "path")).OfType<YamlScalarNode>());
        if (Child(Child(Child(root, "stages"), "ingest"), "inputs") is YamlSequenceNode ingestInputs)
            scalars.AddRange(ingestInputs.Children.OfType<YamlMappingNode>().Select(m => Child(m, "path")).OfType<YamlScalarNode>());

        var changed = false;
        foreach (var scalar in scalars)
        {
            if (scalar.Value is not { Length: > 0 } value || InputReference.IsArtifact(value)) continue;
            scalar.Value = await import(Path.GetFullPath(value, baseDirectory)).ConfigureAwait(false);
            changed = true;
        }
        if (!changed) return yaml;
        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    private static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;
}
