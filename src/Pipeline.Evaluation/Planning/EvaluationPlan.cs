using Pipeline.Configuration;
using Pipeline.Configuration.Evaluation;
using Pipeline.Configuration.Training;
using Pipeline.Configuration.Validation;
using Pipeline.Contracts;
using Pipeline.Evaluation.Prompts;
using Pipeline.Evaluation.Results;

namespace Pipeline.Evaluation.Planning;

/// <summary>One candidate to evaluate: which model answers and, for a baseline, how it is prompted.</summary>
/// <param name="ModelRole">The run's artifact role of the model (base_model, ...), or null for a folder.</param>
/// <param name="ModelReference">For a folder: its artifact reference (artifact:ID), as the run config holds it.</param>
/// <param name="ConfigKey">Where the candidate comes from in the config (for error messages).</param>
public sealed record CandidatePlan(string Name, CandidateKind Kind, string Description, string? ModelRole, string? ModelReference,
    BaselineKind? Baseline, string ConfigKey);

/// <summary>What the evaluate stage will do, settled before any model is loaded: candidates in order, judges (primary first), reference.</summary>
public sealed record EvaluationPlan(IReadOnlyList<CandidatePlan> Candidates, IReadOnlyList<string> Judges, string Reference)
{
    public const string StagePath = "stages.evaluate";

    /// <summary>
    /// Plans the candidates and judges from the settings, the artifact roles the run provides and the judge names that
    /// resolve. Every problem (a judge that does not exist, a reference that is not a candidate, a missing model) is
    /// collected and raised together as one <see cref="EvaluationInputException"/> naming the keys.
    /// </summary>
    public static EvaluationPlan Create(EvaluationSettings settings, IReadOnlyCollection<string> availableRoles, IReadOnlyList<string> availableJudges)
    {
        var problems = new List<string>();
        var candidates = new List<CandidatePlan>();

        // 1. The run's models: the latest one, and the ones to compare with (a defaulted compare_to skips what the run lacks).
        var latest = new[] { ArtifactRoles.PolicyModel, ArtifactRoles.SftModel, ArtifactRoles.BaseModel }.FirstOrDefault(availableRoles.Contains);
        var roles = settings.CompareTo.Select(ModelRoles.RoleOf).ToHashSet(StringComparer.Ordinal);
        if (latest is not null) roles.Add(latest);
        foreach (var role in new[] { ArtifactRoles.BaseModel, ArtifactRoles.SftModel, ArtifactRoles.PolicyModel }.Where(roles.Contains))
        {
            if (availableRoles.Contains(role))
                candidates.Add(new CandidatePlan(role, CandidateKind.Model, Describe(role), role, null, null, $"{StagePath}.compare_to"));
        }

        // 2. Models outside the run.
        for (var i = 0; i < settings.Models.Count; i++)
        {
            var model = settings.Models[i];
            candidates.Add(new CandidatePlan(model.Name, CandidateKind.Model, $"the model at {model.Path}", null, model.Path, null, $"{StagePath}.models[{i}]"));
        }

        // 3. Baselines: the untrained model, prompted.
        var baselineRole = ModelRoles.RoleOf(settings.BaselineModel);
        if (settings.Baselines.Count > 0 && !availableRoles.Contains(baselineRole))
            problems.Add($"{StagePath}.baseline_model: '{baselineRole}' is not available in this run; add the stage that makes it, set inputs.{baselineRole}, or set baselines: []");
        else
            foreach (var baseline in settings.Baselines)
                candidates.Add(new CandidatePlan(ConfigNaming.NameOf(baseline), CandidateKind.Baseline, Describe(baseline, baselineRole, settings),
                    baselineRole, null, baseline, $"{StagePath}.baselines"));
        if (candidates.Count == 0)
            problems.Add($"{StagePath}: nothing to evaluate; the run has no base_model, sft_model or policy_model and models: lists none");

        // 4. Judges: named ones must resolve; by default every available one (functions first, the reward model last).
        var judges = settings.Judges.Count > 0
            ? settings.Judges.ToList()
            : availableJudges.Where(j => j != RewardSourceSettings.RewardModelSource).Append(RewardSourceSettings.RewardModelSource).Where(availableJudges.Contains).ToList();
        for (var i = 0; i < settings.Judges.Count; i++)
        {
            if (availableJudges.Contains(settings.Judges[i])) continue;
            var closest = Suggestions.Closest(settings.Judges[i], availableJudges);
            problems.Add($"{StagePath}.judges[{i}]: '{settings.Judges[i]}' is not a judge; available: {(availableJudges.Count == 0 ? "none" : string.Join(", ", availableJudges))}" +
                         (closest is null ? "" : $" (did you mean '{closest}'?)") +
                         (settings.Judges[i] == RewardSourceSettings.RewardModelSource ? "; reward_model needs the reward_model stage or inputs.reward_model" : ""));
        }
        if (judges.Count == 0 && settings.Judges.Count == 0)
            problems.Add($"{StagePath}.judges: no judge is available; register a reward function or give the run a reward model");

        // 5. The reference of the win rates.
        var names = candidates.Select(c => c.Name).ToList();
        var reference = settings.Reference ?? (names.Contains(ArtifactRoles.SftModel) ? ArtifactRoles.SftModel : names.FirstOrDefault() ?? "");
        if (settings.Reference is not null && !names.Contains(settings.Reference))
            problems.Add($"{StagePath}.reference: '{settings.Reference}' is not among the candidates of this run ({(names.Count == 0 ? "none" : string.Join(", ", names))})");

        if (problems.Count > 0) throw new EvaluationInputException(string.Join("; ", problems) + ".");
        return new EvaluationPlan(candidates, judges, reference);
    }

    private static string Describe(string role) => role switch
    {
        ArtifactRoles.BaseModel => "the base model, as pretrained",
        ArtifactRoles.SftModel => "the supervised fine-tuned model",
        ArtifactRoles.PolicyModel => "the aligned policy",
        _ => role,
    };

    private static string Describe(BaselineKind baseline, string role, EvaluationSettings settings) => baseline switch
    {
        BaselineKind.SystemPrompt => $"{role} with the system prompt \"{settings.SystemPrompt}\"",
        BaselineKind.FewShot => $"{role} with {settings.FewShotExamples} fixed training examples as earlier turns (seed {settings.Seed ?? 0})",
        _ => $"{role} with the {settings.RagExamples} training examples most similar to the question (BM25) as earlier turns",
    };
}
