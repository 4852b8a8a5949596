using Pipeline.Artifacts;
using Pipeline.Configuration;
using Pipeline.Contracts;
using Pipeline.Orchestration.Stages;
using Pipeline.Training.Alignment.Rewards;
using Pipeline.Training.Feedback;
using Pipeline.Training.Stages.Alignment;

namespace Pipeline.Training.Stages.Feedback;

/// <summary>
/// The feedback stage: the SFT (or base) policy samples replies to the dataset's prompts, the configured judge ranks
/// them, and the pairs are published as the run's preferences (the reward model trains on them).
/// </summary>
public sealed class FeedbackStageWorker(IEnumerable<IRewardFunction> rewardFunctions) : IStageWorker
{
    public string Stage => StageNames.Feedback;

    public async Task<StageOutcome> RunAsync(StageContext context, CancellationToken ct)
    {
        var settings = StageSettingsJson.Deserialize<FeedbackSettings>(context.SettingsJson);
        var dataset = await StageDataset.LoadAsync(context, ArtifactRoles.Dataset, ct).ConfigureAwait(false);
        var judges = await AlignmentInputs.RewardSourcesAsync(context, rewardFunctions, settings.Judge == RewardSourceSettings.RewardModelSource,
            512, settings.BatchSize * settings.SamplesPerPrompt, ct).ConfigureAwait(false);
        if (!judges.Names.Contains(settings.Judge))
            throw new StageFailedException($"feedback: stages.feedback.judge: '{settings.Judge}' is not a judge; available: {string.Join(", ", judges.Names)}.");
        var start = await StageModel.LoadAsync(context, ct, ArtifactRoles.SftModel, ArtifactRoles.BaseModel).ConfigureAwait(false);

        var output = Path.Combine(context.ScratchDirectory, "output");
        var slice = await TrainingStageBridge.SliceAsync(context, ct).ConfigureAwait(false);
        FeedbackResult result;
        try
        {
            result = await FeedbackCollector.CollectAsync(new FeedbackJob
            {
                Policy = start.Model, Tokenizer = start.Tokenizer, ChatTemplate = start.Template,
                Prompts = StageDataset.Conversations(dataset.Train).Concat(StageDataset.Pairs(dataset.Train)).ToList(),
                Judge = judges.Resolve(settings.Judge), Generator = start.Artifact.Id, OutputDirectory = output, Hooks = slice.Hooks,
            }, settings, ct).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            throw new StageFailedException($"feedback: {e.Message}", e);
        }
        if (result.OutputDirectory is null) return StageOutcome.Continue();

        var id = $"{context.ArtifactPrefix}/preferences";
        await ArtifactFolders.UploadAsync(context, id, output, ArtifactKind.Dataset, [start.Artifact.Id, dataset.Artifact.Id], ct).ConfigureAwait(false);
        var card = result.Card;
        var metrics = slice.Annotate(new Dictionary<string, double>
        {
            ["prompts"] = card.Prompts, ["samples"] = card.Samples, ["train_pairs"] = card.TrainPairs, ["validation_pairs"] = card.ValidationPairs,
            ["prompts_without_pair"] = card.PromptsWithoutPair, ["mean_judge_score"] = card.MeanScore, ["mean_margin"] = card.MeanMargin,
            ["finished_share"] = card.FinishedShare, ["tokens_generated"] = card.TokensGenerated,
        });
        return StageOutcome.Done(new Dictionary<string, ArtifactRef> { [ArtifactRoles.Preferences] = new(id, ArtifactKinds.Dataset) }, metrics);
    }
}
