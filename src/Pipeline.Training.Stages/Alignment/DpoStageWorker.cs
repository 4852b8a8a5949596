using Pipeline.Configuration;
using Pipeline.Configuration.Json;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;
using Pipeline.Orchestration.Stages;
using Pipeline.Training.Alignment.Dpo;

namespace Pipeline.Training.Stages.Alignment;

/// <summary>The dpo stage: offline preference optimization of the SFT (or base) policy on the run's preference pairs.</summary>
public sealed class DpoStageWorker : IStageWorker
{
    public string Stage => StageNames.Dpo;

    public async Task<StageOutcome> RunAsync(StageContext context, CancellationToken ct)
    {
        var settings = StageSettingsJson.Deserialize<DpoSettings>(context.SettingsJson);
        var role = context.Inputs.ContainsKey(ArtifactRoles.Preferences) ? ArtifactRoles.Preferences : ArtifactRoles.Dataset;
        var dataset = await StageDataset.LoadAsync(context, role, ct).ConfigureAwait(false);
        var train = StageDataset.Pairs(dataset.Train);
        if (train.Count == 0)
            throw new StageFailedException($"dpo: the dataset {dataset.Artifact.Id} has no preference pairs (rows with chosen and rejected); " +
                                           "add an ingest input with format: preference.");
        var start = await StageModel.LoadAsync(context, ct, ArtifactRoles.SftModel, ArtifactRoles.BaseModel).ConfigureAwait(false);

        var output = Path.Combine(context.ScratchDirectory, "output");
        var slice = await TrainingStageBridge.SliceAsync(context, ct, recordHistory: true).ConfigureAwait(false);
        DpoResult result;
        try
        {
            result = await DpoTrainer.TrainAsync(new DpoJob
            {
                Policy = start.Model, LoadReference = AlignmentInputs.ReferenceLoader(start.Folder), Tokenizer = start.Tokenizer, ChatTemplate = start.Template,
                Train = train, Validation = StageDataset.Pairs(dataset.Validation),
                OutputDirectory = output, BaseModelNameOrPath = start.Artifact.Id, TokenizerDirectory = start.Folder, Hooks = slice.Hooks,
            }, settings, ct).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            throw new StageFailedException($"dpo: {e.Message}", e);
        }
        if (result.OutputDirectory is null) return StageOutcome.Continue();
        slice.WriteHistory(output); // metrics.jsonl, every slice's steps: the run report plots it
        var outputs = await PolicyOutputs.UploadAsync(context, output, result.SavedAdapter, start.Folder, [start.Artifact.Id, dataset.Artifact.Id], ct).ConfigureAwait(false);
        return StageOutcome.Done(outputs, slice.Annotate(result.Metrics));
    }
}
