using Pipeline.Artifacts;
using Pipeline.Configuration;
using Pipeline.Configuration.Json;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;
using Pipeline.Orchestration.Stages;
using Pipeline.Training.Reward;

namespace Pipeline.Training.Stages;

/// <summary>
/// The reward_model stage: a scalar head on the SFT (or base) model, trained on the dataset's preference pairs;
/// published in Hugging Face's sequence-classification layout (score.weight) for PPO and evaluation to load.
/// </summary>
public sealed class RewardModelStageWorker : IStageWorker
{
    public string Stage => StageNames.RewardModel;

    public async Task<StageOutcome> RunAsync(StageContext context, CancellationToken ct)
    {
        var settings = StageSettingsJson.Deserialize<RewardModelSettings>(context.SettingsJson);
        var role = context.Inputs.ContainsKey(ArtifactRoles.Preferences) ? ArtifactRoles.Preferences : ArtifactRoles.Dataset;
        var dataset = await StageDataset.LoadAsync(context, role, ct).ConfigureAwait(false);
        var start = await StageModel.LoadAsync(context, ct, ArtifactRoles.SftModel, ArtifactRoles.BaseModel).ConfigureAwait(false);
        var train = StageDataset.Pairs(dataset.Train);
        var validation = StageDataset.Pairs(dataset.Validation);
        if (train.Count == 0)
            throw new StageFailedException($"reward_model: the dataset {dataset.Artifact.Id} has no preference pairs (rows with chosen and rejected); " +
                                           "add an ingest input with format: preference.");

        var output = Path.Combine(context.ScratchDirectory, "output");
        var slice = await TrainingStageBridge.SliceAsync(context, ct, recordHistory: true).ConfigureAwait(false);
        var result = await RewardModelTrainer.TrainAsync(new RewardModelJob
        {
            Model = start.Model, Tokenizer = start.Tokenizer, ChatTemplate = start.Template,
            Train = train, Validation = validation,
            OutputDirectory = output, TokenizerDirectory = start.Folder,
            Hooks = slice.Hooks,
        }, settings, ct).ConfigureAwait(false);
        if (result.OutputDirectory is null) return StageOutcome.Continue();
        slice.WriteHistory(output); // metrics.jsonl: the run report plots it

        var modelId = $"{context.ArtifactPrefix}/model";
        await ArtifactFolders.UploadAsync(context, modelId, output, ArtifactKind.Model, [start.Artifact.Id, dataset.Artifact.Id], ct).ConfigureAwait(false);
        var metrics = new Dictionary<string, double>(slice.Annotate(result.Metrics)) { ["train_pairs"] = train.Count, ["validation_pairs"] = validation.Count };
        return StageOutcome.Done(new Dictionary<string, ArtifactRef> { [ArtifactRoles.RewardModel] = new(modelId, ArtifactKind.Model) }, metrics);
    }
}
