using Pipeline.Configuration;
using Pipeline.Configuration.Json;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;
using Pipeline.Orchestration.Stages;
using Pipeline.Training.Alignment.Loop;
using Pipeline.Training.Alignment.Rewards;

namespace Pipeline.Training.Stages.Alignment;

/// <summary>
/// The ppo and grpo stages: the SFT (or base) policy, the dataset's prompts, the configured reward sources, trained on the
/// shared online loop in slices with checkpoints; the aligned policy is published as policy_model with its metric history
/// (metrics.jsonl) and samples (samples.jsonl).
/// </summary>
public abstract class OnlineAlignmentStageWorker<TSettings>(IEnumerable<IRewardFunction> rewardFunctions) : IStageWorker where TSettings : OnlineAlignmentSettings
{
    public abstract string Stage { get; }

    protected abstract Task<OnlineAlignmentResult> TrainAsync(OnlineAlignmentJob job, TSettings settings, CancellationToken ct);

    public async Task<StageOutcome> RunAsync(StageContext context, CancellationToken ct)
    {
        var settings = StageSettingsJson.Deserialize<TSettings>(context.SettingsJson);
        var dataset = await StageDataset.LoadAsync(context, ArtifactRoles.Dataset, ct).ConfigureAwait(false);
        var rewards = await AlignmentInputs.RewardSourcesAsync(context, rewardFunctions, settings.UsesRewardModel, settings.MaxSeqLength, settings.BatchSize, ct).ConfigureAwait(false);
        // Checked before the policy is even loaded: a misspelt reward source should not cost a model download.
        var problems = rewards.Problems(Stage, settings);
        if (problems.Count > 0) throw new StageFailedException($"{Stage}: {string.Join("; ", problems)}.");
        var start = await StageModel.LoadAsync(context, ct, ArtifactRoles.SftModel, ArtifactRoles.BaseModel).ConfigureAwait(false);

        var output = Path.Combine(context.ScratchDirectory, "output");
        var slice = await TrainingStageBridge.SliceAsync(context, ct).ConfigureAwait(false);
        OnlineAlignmentResult result;
        try
        {
            result = await TrainAsync(new OnlineAlignmentJob
            {
                Policy = start.Model, LoadReference = AlignmentInputs.ReferenceLoader(start.Folder), Tokenizer = start.Tokenizer, ChatTemplate = start.Template,
                Train = dataset.Train, Validation = dataset.Validation, Rewards = rewards, Stage = Stage,
                OutputDirectory = output, BaseModelNameOrPath = start.Artifact.Id, TokenizerDirectory = start.Folder, Hooks = slice.Hooks,
            }, settings, ct).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            throw new StageFailedException($"{Stage}: {e.Message}", e);
        }
        if (result.OutputDirectory is null) return StageOutcome.Continue();

        var parents = new List<string> { start.Artifact.Id, dataset.Artifact.Id };
        if (context.Inputs.TryGetValue(ArtifactRoles.RewardModel, out var rewardModel) && settings.UsesRewardModel) parents.Add(rewardModel.Id);
        var outputs = await PolicyOutputs.UploadAsync(context, output, result.SavedAdapter, start.Folder, parents, ct).ConfigureAwait(false);
        var metrics = slice.Annotate(result.Metrics);
        return StageOutcome.Done(outputs, metrics);
    }
}
