using Pipeline.Contracts;

namespace Pipeline.Orchestration.Stages;

/// <summary>
/// The one table that ties a stage name to its command and its completed event, so the run manager,
/// the stage consumers and the CLI never switch on stage names themselves.
/// </summary>
public static class StageCatalog
{
    public sealed record Entry(
        string Stage,
        Type CommandType,
        Func<Guid, string, IReadOnlyDictionary<string, ArtifactRef>, int, IStageCommand> CreateCommand,
        Func<Guid, IReadOnlyDictionary<string, ArtifactRef>, IReadOnlyDictionary<string, double>, IStageCompleted> CreateCompleted);

    private static readonly Dictionary<string, Entry> Entries = new Entry[]
    {
        new(StageNames.Pretrain, typeof(RunPretraining),
            (id, s, i, n) => new RunPretraining { RunId = id, SettingsJson = s, Inputs = i, Slice = n },
            (id, o, m) => new BaseModelPretrained { RunId = id, Outputs = o, Metrics = m }),
        new(StageNames.Ingest, typeof(RunIngestion),
            (id, s, i, n) => new RunIngestion { RunId = id, SettingsJson = s, Inputs = i, Slice = n },
            (id, o, m) => new DatasetPrepared { RunId = id, Outputs = o, Metrics = m }),
        new(StageNames.Synthesize, typeof(RunSynthesis),
            (id, s, i, n) => new RunSynthesis { RunId = id, SettingsJson = s, Inputs = i, Slice = n },
            (id, o, m) => new SyntheticDataGenerated { RunId = id, Outputs = o, Metrics = m }),
        new(StageNames.Sft, typeof(RunSft),
            (id, s, i, n) => new RunSft { RunId = id, SettingsJson = s, Inputs = i, Slice = n },
            (id, o, m) => new SftCompleted { RunId = id, Outputs = o, Metrics = m }),
        new(StageNames.Feedback, typeof(RunFeedback),
            (id, s, i, n) => new RunFeedback { RunId = id, SettingsJson = s, Inputs = i, Slice = n },
            (id, o, m) => new FeedbackCollected { RunId = id, Outputs = o, Metrics = m }),
        new(StageNames.RewardModel, typeof(RunRewardModel),
            (id, s, i, n) => new RunRewardModel { RunId = id, SettingsJson = s, Inputs = i, Slice = n },
            (id, o, m) => new RewardModelTrained { RunId = id, Outputs = o, Metrics = m }),
        new(StageNames.Ppo, typeof(RunPpo),
            (id, s, i, n) => new RunPpo { RunId = id, SettingsJson = s, Inputs = i, Slice = n },
            (id, o, m) => new PolicyOptimized { RunId = id, Stage = StageNames.Ppo, Outputs = o, Metrics = m }),
        new(StageNames.Grpo, typeof(RunGrpo),
            (id, s, i, n) => new RunGrpo { RunId = id, SettingsJson = s, Inputs = i, Slice = n },
            (id, o, m) => new PolicyOptimized { RunId = id, Stage = StageNames.Grpo, Outputs = o, Metrics = m }),
        new(StageNames.Dpo, typeof(RunDpo),
            (id, s, i, n) => new RunDpo { RunId = id, SettingsJson = s, Inputs = i, Slice = n },
            (id, o, m) => new PolicyOptimized { RunId = id, Stage = StageNames.Dpo, Outputs = o, Metrics = m }),
        new(StageNames.Evaluate, typeof(RunEvaluation),
            (id, s, i, n) => new RunEvaluation { RunId = id, SettingsJson = s, Inputs = i, Slice = n },
            (id, o, m) => new EvaluationCompleted { RunId = id, Outputs = o, Metrics = m }),
    }.ToDictionary(e => e.Stage);

    public static Entry For(string stage) =>
        Entries.TryGetValue(stage, out var entry)
            ? entry
            : throw new ArgumentException($"Unknown stage '{stage}'. Known stages: {string.Join(", ", StageNames.InOrder)}.");

    public static Entry ForCommand<TCommand>() where TCommand : IStageCommand =>
        Entries.Values.Single(e => e.CommandType == typeof(TCommand));

    /// <summary>
    /// Stages whose work exists in this build. A service for any other stage refuses its command with a
    /// clear failure, and the API refuses a run config that names one before starting it.
    /// </summary>
    public static readonly IReadOnlySet<string> ImplementedInThisBuild = new HashSet<string>
    {
        StageNames.Pretrain, StageNames.Ingest, StageNames.Synthesize, StageNames.Sft, StageNames.Feedback, StageNames.RewardModel, StageNames.Ppo, StageNames.Grpo, StageNames.Dpo,
        StageNames.Evaluate,
    };
}
