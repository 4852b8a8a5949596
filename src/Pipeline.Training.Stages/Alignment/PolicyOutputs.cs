using Pipeline.Artifacts;
using Pipeline.Contracts;
using Pipeline.Modeling.Adapters;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Training.Stages.Alignment;

/// <summary>Publishes an aligned policy: a Hugging Face model, and with LoRA also the PEFT adapter it was merged from.</summary>
internal static class PolicyOutputs
{
    public static async Task<Dictionary<string, ArtifactRef>> UploadAsync(StageContext context, string output, bool savedAdapter, string startFolder,
        IReadOnlyList<string> parents, CancellationToken ct)
    {
        var outputs = new Dictionary<string, ArtifactRef>();
        var modelId = $"{context.ArtifactPrefix}/model";
        if (savedAdapter)
        {
            var adapterId = $"{context.ArtifactPrefix}/adapter";
            await ArtifactFolders.UploadAsync(context, adapterId, output, ArtifactKind.Adapter, parents, ct).ConfigureAwait(false);
            var merged = Path.Combine(context.ScratchDirectory, "merged");
            AdapterMerging.MergeToDirectory(startFolder, output, merged);
            // The metric history and samples travel with the merged model too, so the report finds them beside the policy.
            foreach (var file in Directory.EnumerateFiles(output, "*.jsonl")) File.Copy(file, Path.Combine(merged, Path.GetFileName(file)), overwrite: true);
            await ArtifactFolders.UploadAsync(context, modelId, merged, ArtifactKind.Model, [.. parents, adapterId], ct).ConfigureAwait(false);
            outputs[ArtifactRoles.PolicyAdapter] = new ArtifactRef(adapterId, ArtifactKind.Adapter);
        }
        else
        {
            await ArtifactFolders.UploadAsync(context, modelId, output, ArtifactKind.Model, parents, ct).ConfigureAwait(false);
        }
        outputs[ArtifactRoles.PolicyModel] = new ArtifactRef(modelId, ArtifactKind.Model);
        return outputs;
    }
}
