using Pipeline.Configuration.Evaluation;
using Pipeline.Configuration.Feedback;
using Pipeline.Configuration.Ingest;
using Pipeline.Configuration.Synthesis;
using Pipeline.Configuration.Training;
using Pipeline.Configuration.Validation;
using Pipeline.Contracts;
using static Pipeline.Contracts.ArtifactRoles;

namespace Pipeline.Configuration.Rules;

/// <summary>
/// Checks, before anything starts, that every enabled stage will get the artifacts it needs: from an
/// earlier enabled stage (in pipeline order) or from <c>inputs</c>. A run that would fail at stage five
/// for want of a reward model should fail now, saying how to provide one.
/// </summary>
internal static class StageDependencyRules
{
    /// <summary>One thing a stage needs: any of <paramref name="Roles"/>; reported at <paramref name="Key"/> under the stage.</summary>
    private sealed record Need(string What, string[] Roles, string? Key = null, string? Otherwise = null);

    /// <summary>A stage that can provide a role, when <paramref name="Provides"/> holds for the config.</summary>
    private sealed record Producer(string Stage, string Role, string Hint, Func<RunConfig, bool> Provides);

    private static readonly Producer[] Producers =
    [
        new(StageNames.Pretrain, BaseModel, "add the pretrain stage", _ => true),
        new(StageNames.Ingest, Dataset, "add the ingest stage", _ => true),
        // A preference file can only be recognized at run time when its format is auto; assume it may be one.
        new(StageNames.Ingest, Preferences, "add an ingest input with format: preference",
            c => c.Stages.Ingest!.Inputs.Count == 0 || c.Stages.Ingest.Inputs.Any(i => i.Format is InputFormat.Preference or InputFormat.Auto)),
        new(StageNames.Synthesize, Dataset, "add the synthesize stage", _ => true),
        new(StageNames.Sft, SftModel, "add the sft stage", _ => true),
        // With human raters the stage only writes the candidates; the pairs come back through `pipeline feedback import`.
        new(StageNames.Feedback, Preferences, "add the feedback stage (with a judge other than human)", c => c.Stages.Feedback!.Judge != FeedbackSettings.HumanJudgeName),
        new(StageNames.RewardModel, RewardModel, "add the reward_model stage", _ => true),
        new(StageNames.Ppo, PolicyModel, "add the ppo stage", _ => true),
        new(StageNames.Grpo, PolicyModel, "add the grpo stage", _ => true),
        new(StageNames.Dpo, PolicyModel, "add the dpo stage", _ => true),
    ];

    private static IEnumerable<Need> NeedsOf(string stage, RunConfig config) => stage switch
    {
        StageNames.Synthesize => SynthesisNeeds(config.Stages.Synthesize!),
        StageNames.Sft => [new("a dataset", [Dataset]), new("a model to fine-tune", [BaseModel, SftModel])],
        StageNames.Feedback => config.Stages.Feedback!.Judge == "reward_model"
            ? [new("prompts (a dataset)", [Dataset]), new("a policy to sample from", [SftModel, BaseModel]), new("a reward model to judge with", [RewardModel], "judge", "use a rule-based judge such as house_style")]
            : [new("prompts (a dataset)", [Dataset]), new("a policy to sample from", [SftModel, BaseModel])],
        StageNames.RewardModel => [new("preference pairs", [Preferences]), new("a model to start from", [SftModel, BaseModel])],
        StageNames.Ppo => OnlineAlignmentNeeds(config.Stages.Ppo!),
        StageNames.Grpo => OnlineAlignmentNeeds(config.Stages.Grpo!),
        StageNames.Dpo => [new("preference pairs", [Preferences]), new("a policy to start from", [SftModel, BaseModel])],
        StageNames.Evaluate => EvaluationNeeds(config.Stages.Evaluate!),
        _ => [],
    };

    /// <summary>A reward model is needed only when a reward source (or the eval judge) is the reward model.</summary>
    private static IEnumerable<Need> OnlineAlignmentNeeds(OnlineAlignmentSettings settings) => settings.UsesRewardModel
        ? [new("prompts (a dataset)", [Dataset]), new("a policy to start from", [SftModel, BaseModel]),
           new("a reward model", [RewardModel])]
        : [new("prompts (a dataset)", [Dataset]), new("a policy to start from", [SftModel, BaseModel])];

    /// <summary>
    /// A dataset for held-out prompts (unless a prompts file is given) and for the few_shot and rag baselines' examples; a
    /// model to evaluate (unless folders are listed); the model the baselines prompt.
    /// </summary>
    private static IEnumerable<Need> EvaluationNeeds(EvaluationSettings settings)
    {
        var examples = settings.Baselines.Any(b => b is BaselineKind.FewShot or BaselineKind.Rag);
        if (settings.Prompts is null) yield return new("held-out prompts (a dataset, or set prompts: to a JSONL file)", [Dataset]);
        else if (examples) yield return new("training examples for the few_shot and rag baselines (a dataset)", [Dataset], "baselines", "remove few_shot and rag from baselines");
        if (settings.Models.Count == 0) yield return new("a model to evaluate", [PolicyModel, SftModel, BaseModel]);
        if (settings.Baselines.Count > 0)
            yield return new($"the model the baselines prompt ({ConfigNaming.NameOf(settings.BaselineModel)})", [ModelRoles.RoleOf(settings.BaselineModel)],
                "baseline_model", "set baselines: [] to evaluate no baseline");
    }

    /// <summary>
    /// The dataset the synthetic rows join; the run's model unless an endpoint generates and nobody (review) or the
    /// generator (full) writes the replies.
    /// </summary>
    private static IEnumerable<Need> SynthesisNeeds(SynthesisSettings settings)
    {
        yield return new("a dataset to add synthetic rows to", [Dataset]);
        var policyReplies = settings.Mode == SynthesisMode.InputsOnly && settings.Replies == SyntheticReplies.Policy;
        if (settings.Generator is null)
            yield return new("a model to generate with", [SftModel, BaseModel], null, "set stages.synthesize.generator to an OpenAI-compatible endpoint");
        else if (policyReplies)
            yield return new("a model to answer the new messages (replies: policy)", [SftModel, BaseModel], "replies", "use replies: review or mode: full");
    }

    public static void Check(RunConfig config, SettingsValidationContext context)
    {
        var available = new HashSet<string>(config.Inputs.ByRole.Keys, StringComparer.Ordinal);
        foreach (var stage in config.EnabledStages)
        {
            var stagePath = ConfigPath.Child("stages", stage);
            foreach (var need in NeedsOf(stage, config).Where(n => !n.Roles.Any(available.Contains)))
            {
                var key = need.Key is null ? stagePath : ConfigPath.Child(stagePath, need.Key);
                context.Error(key, $"needs {need.What}; {HowToProvide(need.Roles, stage, need.Otherwise)}");
            }
            if (stage == StageNames.Evaluate) CheckComparisons(config, available, context);
            foreach (var producer in Producers.Where(p => p.Stage == stage && p.Provides(config)))
                available.Add(producer.Role);
        }
        CheckSftOutput(config, context);
    }

    /// <summary>Every stage after sft starts from the SFT model, which an additive adapter (soft prompt, prefix, bottleneck) cannot become.</summary>
    private static void CheckSftOutput(RunConfig config, SettingsValidationContext context)
    {
        const string path = "stages.sft.method";
        if (config.Stages.Sft is not { } sft || !config.EnabledStages.Contains(StageNames.Sft) || !context.IsValid(path)) return;
        var later = config.EnabledStages.Where(s => IndexOf(s) > IndexOf(StageNames.Sft)).ToList();
        if (MethodSupport.SftOutputRefusal(sft.Method, later) is { } refusal) context.Error(path, refusal);
    }

    /// <summary>An explicit compare_to list must name models the run has (a defaulted one is filtered at run time).</summary>
    private static void CheckComparisons(RunConfig config, HashSet<string> available, SettingsValidationContext context)
    {
        const string path = "stages.evaluate.compare_to";
        if (!context.IsSet(path) || !context.IsValid(path)) return;
        var compareTo = config.Stages.Evaluate!.CompareTo;
        for (var i = 0; i < compareTo.Count; i++)
        {
            var role = ConfigNaming.NameOf(compareTo[i]);
            if (!available.Contains(role))
                context.Error(ConfigPath.Item(path, i), $"'{role}' is not available in this run; {HowToProvide([role], StageNames.Evaluate, null)}");
        }
    }

    private static string HowToProvide(string[] roles, string stage, string? otherwise)
    {
        var position = IndexOf(stage);
        var ways = Producers
            .Where(p => roles.Contains(p.Role) && IndexOf(p.Stage) < position)
            .Select(p => p.Hint)
            .Distinct()
            .ToList();
        ways.Add("set " + string.Join(" or ", roles.Select(r => "inputs." + r)));
        if (otherwise is not null) ways.Add(otherwise);
        return string.Join(", or ", ways);
    }

    private static int IndexOf(string stage) => StageNames.InOrder.ToList().IndexOf(stage);
}
