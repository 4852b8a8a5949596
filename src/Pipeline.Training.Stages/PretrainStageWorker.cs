using Pipeline.Artifacts;
using Pipeline.Configuration;
using Pipeline.Configuration.Json;
using Pipeline.Configuration.Pretraining;
using Pipeline.Contracts;
using Pipeline.Orchestration.Runs;
using Pipeline.Orchestration.Stages;
using Pipeline.Training.Pretraining;

namespace Pipeline.Training.Stages;

/// <summary>The pretrain stage: a small base model from scratch on the run's corpus, published as the base_model.</summary>
public sealed class PretrainStageWorker : IStageWorker
{
    public string Stage => StageNames.Pretrain;

    public async Task<StageOutcome> RunAsync(StageContext context, CancellationToken ct)
    {
        var settings = StageSettingsJson.Deserialize<PretrainSettings>(context.SettingsJson);
        var corpus = new List<string>();
        var parents = new List<string>();
        for (var i = 0; i < settings.Corpus.Count; i++)
        {
            if (!InputReference.IsArtifact(settings.Corpus[i]))
                throw new StageFailedException($"stages.pretrain.corpus[{i}]: '{settings.Corpus[i]}' is a local path on the submitting machine; " +
                                               "submit with `pipeline run` or `pipeline submit`, which upload it.");
            var reference = InputReference.Parse(settings.Corpus[i]);
            var folder = await ArtifactFolders.FetchAsync(context.Artifacts, new ArtifactRef(reference.ArtifactId, ArtifactKind.Dataset), ct).ConfigureAwait(false);
            corpus.Add(Path.Combine(folder, reference.FileName ?? throw new StageFailedException($"stages.pretrain.corpus[{i}]: name a file: artifact:<id>#<file>.")));
            parents.Add(reference.ArtifactId);
        }

        var output = Path.Combine(context.ScratchDirectory, "output");
        var slice = await TrainingStageBridge.SliceAsync(context, ct, recordHistory: true).ConfigureAwait(false);
        var result = await Pretrainer.TrainAsync(corpus, settings, output, slice.Hooks, ct).ConfigureAwait(false);
        if (result.OutputDirectory is null) return StageOutcome.Continue();
        slice.WriteHistory(output); // metrics.jsonl: the run report plots it

        var modelId = $"{context.ArtifactPrefix}/model";
        await ArtifactFolders.UploadAsync(context, modelId, output, ArtifactKind.Model, parents, ct).ConfigureAwait(false);
        return StageOutcome.Done(new Dictionary<string, ArtifactRef> { [ArtifactRoles.BaseModel] = new(modelId, ArtifactKind.Model) }, slice.Annotate(result.Metrics));
    }
}
