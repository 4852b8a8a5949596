using Pipeline.Configuration.Evaluation;
using Pipeline.Configuration.Feedback;
using Pipeline.Configuration.Ingest;
using Pipeline.Configuration.Pretraining;
using Pipeline.Configuration.Synthesis;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;

namespace Pipeline.Configuration;

/// <summary>
/// The stages to run and their settings. A stage runs when its key is present (<c>sft:</c> with nothing
/// under it runs sft with the defaults). The order of keys in the file does not matter: stages always
/// run in <see cref="StageNames.InOrder"/>.
/// </summary>
public sealed record RunStages
{
    /// <summary>Train a small base model from scratch on a text corpus (stage 0).</summary>
    public PretrainSettings? Pretrain { get; init; }

    /// <summary>Read, clean and split raw files into a dataset.</summary>
    public IngestSettings? Ingest { get; init; }

    /// <summary>Add synthetic rows to the dataset (self-instruct), cleaned like organic ones.</summary>
    public SynthesisSettings? Synthesize { get; init; }

    /// <summary>Supervised fine-tuning.</summary>
    public SftSettings? Sft { get; init; }

    /// <summary>Sample several replies per prompt from the policy and have a judge rank them into preference pairs.</summary>
    public FeedbackSettings? Feedback { get; init; }

    /// <summary>Train a reward model on preference pairs.</summary>
    public RewardModelSettings? RewardModel { get; init; }

    /// <summary>Optimize the policy against its reward sources with PPO (value head, GAE).</summary>
    public PpoSettings? Ppo { get; init; }

    /// <summary>Optimize the policy against its reward sources with GRPO (no value model).</summary>
    public GrpoSettings? Grpo { get; init; }

    /// <summary>Optimize the policy on preference pairs with DPO.</summary>
    public DpoSettings? Dpo { get; init; }

    /// <summary>Generate, score and report.</summary>
    public EvaluationSettings? Evaluate { get; init; }

    /// <summary>The settings of a stage by its <see cref="StageNames"/> name, or null when it does not run.</summary>
    public StageSettings? Get(string stage) => stage switch
    {
        StageNames.Pretrain => Pretrain,
        StageNames.Ingest => Ingest,
        StageNames.Synthesize => Synthesize,
        StageNames.Sft => Sft,
        StageNames.Feedback => Feedback,
        StageNames.RewardModel => RewardModel,
        StageNames.Ppo => Ppo,
        StageNames.Grpo => Grpo,
        StageNames.Dpo => Dpo,
        StageNames.Evaluate => Evaluate,
        _ => throw new ArgumentException($"'{stage}' is not a stage; stages are {string.Join(", ", StageNames.InOrder)}.", nameof(stage)),
    };

    /// <summary>The stages that run, in pipeline order.</summary>
    public IReadOnlyList<string> Enabled => StageNames.InOrder.Where(stage => Get(stage) is not null).ToArray();

    /// <summary>A copy where every stage without its own seed takes <paramref name="seed"/>.</summary>
    public RunStages WithDefaultSeed(int seed) => this with
    {
        Pretrain = Seeded(Pretrain, seed),
        Ingest = Seeded(Ingest, seed),
        Synthesize = Seeded(Synthesize, seed),
        Sft = Seeded(Sft, seed),
        Feedback = Seeded(Feedback, seed),
        RewardModel = Seeded(RewardModel, seed),
        Ppo = Seeded(Ppo, seed),
        Grpo = Seeded(Grpo, seed),
        Dpo = Seeded(Dpo, seed),
        Evaluate = Seeded(Evaluate, seed),
    };

    private static T? Seeded<T>(T? settings, int seed) where T : StageSettings =>
        settings is null || settings.Seed is not null ? settings : (T)(settings with { Seed = seed });
}
