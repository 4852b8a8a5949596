using Microsoft.Extensions.AI;
using Pipeline.Artifacts;
using Pipeline.Configuration;
using Pipeline.Configuration.Feedback;
using Pipeline.Configuration.Json;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;
using Pipeline.Modeling.Generation;
using Pipeline.Orchestration.Stages;
using Pipeline.Serving.Local;
using Pipeline.Training.Alignment.Rewards;
using Pipeline.Training.Feedback;
using Pipeline.Training.Feedback.Judges;
using Pipeline.Training.Stages.Alignment;
using Pipeline.Training.Stages.Chat;

namespace Pipeline.Training.Stages.Feedback;

/// <summary>
/// The feedback stage: the SFT (or base) policy samples replies to the dataset's prompts, the configured judge ranks
/// them, and the pairs are published as the run's preferences (the reward model trains on them). With judge: human the
/// replies are published as the feedback_candidates artifact instead, for `pipeline feedback export`.
/// </summary>
public sealed class FeedbackStageWorker(IEnumerable<IRewardFunction> rewardFunctions) : IStageWorker
{
    private const string EndpointKey = "stages.feedback.llm_judge.endpoint";

    public string Stage => StageNames.Feedback;

    public async Task<StageOutcome> RunAsync(StageContext context, CancellationToken ct)
    {
        var settings = StageSettingsJson.Deserialize<FeedbackSettings>(context.SettingsJson);
        var dataset = await StageDataset.LoadAsync(context, ArtifactRoles.Dataset, ct).ConfigureAwait(false);
        var judges = await AlignmentInputs.RewardSourcesAsync(context, rewardFunctions, settings.Judge == RewardSourceSettings.RewardModelSource,
            512, settings.BatchSize * settings.SamplesPerPrompt, ct).ConfigureAwait(false);
        var special = new[] { FeedbackSettings.LlmJudgeName, FeedbackSettings.HumanJudgeName };
        if (!special.Contains(settings.Judge) && !judges.Names.Contains(settings.Judge))
            throw new StageFailedException($"feedback: stages.feedback.judge: '{settings.Judge}' is not a judge; available: {string.Join(", ", judges.Names.Concat(special))}.");
        var start = await StageModel.LoadAsync(context, ct, ArtifactRoles.SftModel, ArtifactRoles.BaseModel).ConfigureAwait(false);

        var output = Path.Combine(context.ScratchDirectory, "output");
        var slice = await TrainingStageBridge.SliceAsync(context, ct).ConfigureAwait(false);
        FeedbackResult result;
        using var chat = settings.Judge == FeedbackSettings.LlmJudgeName ? JudgeClient(settings.LlmJudgeOrDefault, start, context.Artifacts) : null;
        try
        {
            result = await FeedbackCollector.CollectAsync(new FeedbackJob
            {
                Policy = start.Model, Tokenizer = start.Tokenizer, ChatTemplate = start.Template,
                Prompts = StageDataset.Conversations(dataset.Train).Concat(StageDataset.Pairs(dataset.Train)).ToList(),
                Judge = settings.Judge switch
                {
                    FeedbackSettings.HumanJudgeName => null,
                    FeedbackSettings.LlmJudgeName => CreateLlmJudge(settings.LlmJudgeOrDefault, chat!.Client, chat.Description),
                    _ => new ScoringJudge(judges.Resolve(settings.Judge)),
                },
                Generator = start.Artifact.Id, OutputDirectory = output, Hooks = slice.Hooks,
            }, settings, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or FeedbackJudgeException)
        {
            throw new StageFailedException($"feedback: {e.Message}", e);
        }
        if (result.OutputDirectory is null) return StageOutcome.Continue();

        var card = result.Card;
        var human = settings.Judge == FeedbackSettings.HumanJudgeName;
        var id = $"{context.ArtifactPrefix}/{(human ? "candidates" : "preferences")}";
        await ArtifactFolders.UploadAsync(context, id, output, ArtifactKind.Dataset, [start.Artifact.Id, dataset.Artifact.Id], ct).ConfigureAwait(false);
        var metrics = new Dictionary<string, double>
        {
            ["prompts"] = card.Prompts, ["samples"] = card.Samples, ["finished_share"] = card.FinishedShare, ["tokens_generated"] = card.TokensGenerated,
        };
        if (human)
        {
            metrics["candidates"] = card.Candidates;
            return StageOutcome.Done(new Dictionary<string, ArtifactRef> { [ArtifactRoles.FeedbackCandidates] = new(id, ArtifactKind.Dataset) }, slice.Annotate(metrics));
        }
        metrics["train_pairs"] = card.TrainPairs;
        metrics["validation_pairs"] = card.ValidationPairs;
        metrics["prompts_without_pair"] = card.PromptsWithoutPair;
        metrics["mean_judge_score"] = card.MeanScore;
        metrics["mean_margin"] = card.MeanMargin;
        if (card.JudgeCalls > 0)
        {
            metrics["judge_calls"] = card.JudgeCalls;
            metrics["judge_parse_failures"] = card.JudgeParseFailures;
            metrics["judge_agreements"] = card.JudgeAgreements;
            metrics["judge_position_disagreements"] = card.PositionBiasDisagreements;
            if (card.JudgeAgreementRate is { } rate) metrics["judge_agreement_rate"] = rate;
            metrics["judge_input_tokens"] = card.JudgeInputTokens;
            metrics["judge_output_tokens"] = card.JudgeOutputTokens;
        }
        return StageOutcome.Done(new Dictionary<string, ArtifactRef> { [ArtifactRoles.Preferences] = new(id, ArtifactKind.Dataset) }, slice.Annotate(metrics));
    }

    /// <summary>
    /// The chat client the LLM judge asks (behind the artifact-store cache, so a resumed or repeated feedback stage does not
    /// pay for a verdict twice), and what to call it in the card; disposed with the stage.
    /// </summary>
    private sealed class JudgeChat(StageChatClient chat, string description, IDisposable? scheduler) : IDisposable
    {
        public IChatClient Client => chat.Client;
        public string Description => description;

        public void Dispose()
        {
            chat.Dispose();
            scheduler?.Dispose();
        }
    }

    /// <summary>
    /// The configured endpoint, or the run's own policy in-process: a scheduler over the already loaded model (not a copy),
    /// so concurrent verdicts share forward passes. Sampling and judging take turns, so the two never use the model at once.
    /// </summary>
    private static JudgeChat JudgeClient(LlmJudgeSettings settings, StageModel start, IArtifactStore cache)
    {
        var mode = settings.Mode == LlmJudgeMode.Pairwise ? "pairwise" : "score";
        if (settings.Endpoint is { } endpoint)
        {
            try
            {
                return new JudgeChat(StageChatClients.ForEndpoint(endpoint, cache, EndpointKey), $"llm ({mode}, {endpoint.Model} at {endpoint.Url})", null);
            }
            catch (ArgumentException e)
            {
                throw new StageFailedException($"feedback: {e.Message}", e);
            }
        }
        var served = new ServedModel(start.Artifact.Id, start.Model, start.Tokenizer, start.Template,
            new SchedulerOptions { MaxBatch = 16, MaxNewTokensPerRequest = settings.MaxAnswerTokens });
        // The scheduler is ours to stop; the model belongs to the stage (ServedModel.Dispose would dispose it too).
        return new JudgeChat(StageChatClients.ForLocal(served, start.Artifact.Id, 16, cache), $"llm ({mode}, the policy {start.Artifact.Id} in-process)", served.Scheduler);
    }

    private static IFeedbackJudge CreateLlmJudge(LlmJudgeSettings settings, IChatClient client, string description) => settings.Mode == LlmJudgeMode.Pairwise
        ? new PairwiseLlmJudge(client, new PairwiseJudgeOptions
        {
            SystemPrompt = settings.SystemPrompt ?? PairwiseJudgeOptions.DefaultSystemPrompt, Template = settings.Template ?? PairwiseJudgeOptions.DefaultTemplate,
            MaxAttempts = settings.MaxAttempts, MaxAnswerTokens = settings.MaxAnswerTokens, MaxConcurrency = 16, Description = description,
        })
        : new ScoringJudge(new LlmJudge(client, Defaults(new LlmJudgeOptions(), settings)), description);

    private static LlmJudgeOptions Defaults(LlmJudgeOptions defaults, LlmJudgeSettings settings) => defaults with
    {
        SystemPrompt = settings.SystemPrompt ?? defaults.SystemPrompt, Template = settings.Template ?? defaults.Template,
        MaxAttempts = settings.MaxAttempts, MaxAnswerTokens = settings.MaxAnswerTokens, MaxConcurrency = 16,
    };
}
