using Pipeline.Configuration.Validation;
using Pipeline.Contracts;

namespace Pipeline.Configuration.Evaluation;

/// <summary>
/// The evaluate stage: every candidate answers the same held-out prompts with the same decoding, every judge scores the
/// replies, and a report (HTML and Markdown) compares them with intervals. Candidates are the run's latest model
/// (policy, else SFT, else base), the models in <see cref="CompareTo"/> and <see cref="Models"/>, and the
/// <see cref="Baselines"/>: the untrained <see cref="BaselineModel"/> only prompted differently, the cheaper
/// alternatives post-training must beat.
/// </summary>
public sealed record EvaluationSettings : StageSettings, IValidatableSettings
{
    /// <summary>
    /// Held-out prompts, a JSONL file (<c>{"id","prompt":[turns],"reference"}</c> or the dataset's <c>{"messages"}</c>);
    /// uploaded with the run like ingest inputs. Default: the dataset's validation split, the last assistant turn as reference.
    /// </summary>
    public string? Prompts { get; init; }

    /// <summary>Held-out prompts to generate for (the first ones of the file), default 64: a stable mean in a minute on a CPU.</summary>
    [Range(1, 1_000_000)]
    public int MaxSamples { get; init; } = 64;

    /// <summary>Longest generated reply in tokens, default 64; the share of replies that hit it is reported.</summary>
    [Range(1, 8192)]
    public int MaxNewTokens { get; init; } = 64;

    /// <summary>
    /// Longest prompt in tokens, default 512 (few-shot and retrieved examples make prompts long); longer prompts keep their
    /// last tokens. Never more than the model's context minus max_new_tokens.
    /// </summary>
    [Range(8, 131_072)]
    public int MaxPromptLength { get; init; } = 512;

    /// <summary>Sampling temperature, default 0 (greedy): comparisons between models are then deterministic.</summary>
    [Range(0, 2)]
    public double Temperature { get; init; }

    /// <summary>
    /// Replies sampled per prompt at temperature 1 to measure how varied a candidate's answers to one question are
    /// (distinct-2 among them, averaged over prompts), default 0 (off). An RL policy collapsing onto one reply shows here
    /// even where greedy replies differ across prompts. Costs this many extra generations per prompt.
    /// </summary>
    [Range(0, 64)]
    public int DiversitySamples { get; init; }

    /// <summary>Prompts generated together, default 16.</summary>
    [Range(1, 4096)]
    public int BatchSize { get; init; } = 16;

    /// <summary>
    /// Earlier models to compare with, default [base_model, sft_model]. When left at the default, a
    /// role this run neither produces nor receives in inputs is skipped; a list written in the config
    /// must name models the run has.
    /// </summary>
    [DistinctItems]
    public IReadOnlyList<ModelRole> CompareTo { get; init; } = [ModelRole.BaseModel, ModelRole.SftModel];

    /// <summary>
    /// Further models to evaluate, each a candidate under its own name: a folder in Hugging Face layout (uploaded with the
    /// run) or an artifact reference. Default none.
    /// </summary>
    public IReadOnlyList<EvaluationModel> Models { get; init; } = [];

    /// <summary>
    /// The prompt-only alternatives to post-training, default [system_prompt, few_shot, rag]: <see cref="BaselineModel"/>
    /// with <see cref="SystemPrompt"/>, with <see cref="FewShotExamples"/> fixed training examples, or with the
    /// <see cref="RagExamples"/> training examples most similar to the question (BM25). [] evaluates no baseline.
    /// </summary>
    [DistinctItems]
    public IReadOnlyList<BaselineKind> Baselines { get; init; } = [BaselineKind.SystemPrompt, BaselineKind.FewShot, BaselineKind.Rag];

    /// <summary>The untrained model the baselines prompt, default base_model (sft_model asks whether RL beats prompting the SFT model).</summary>
    public ModelRole BaselineModel { get; init; } = ModelRole.BaseModel;

    /// <summary>The system message of the system_prompt baseline (replacing the prompt's own), default a generic support-desk instruction.</summary>
    public string SystemPrompt { get; init; } = DefaultSystemPrompt;

    /// <summary>Training examples shown to the few_shot baseline, default 2, drawn once with the stage's seed.</summary>
    [Range(1, 64)]
    public int FewShotExamples { get; init; } = 2;

    /// <summary>Training examples the rag baseline retrieves per question, default 2.</summary>
    [Range(1, 64)]
    public int RagExamples { get; init; } = 2;

    /// <summary>
    /// Who scores the replies: reward source names (<c>reward_model</c>, or a registered function such as <c>house_style</c>).
    /// The first decides wins. Default: every registered function, then the reward model when the run has one.
    /// </summary>
    [DistinctItems]
    public IReadOnlyList<string> Judges { get; init; } = [];

    /// <summary>
    /// The candidate the win rates are against: a model role (sft_model), a baseline (few_shot) or a folder's name.
    /// Default: sft_model when it is a candidate, else the first candidate.
    /// </summary>
    public string? Reference { get; init; }

    /// <summary>Draw every stage's metric history and the candidate comparisons into the report, default true.</summary>
    public bool Plots { get; init; } = true;

    public const string DefaultSystemPrompt =
        "You are a support assistant. Greet the customer, answer their question politely and briefly, and sign off.";

    /// <summary>The names a candidate can have from the config alone: model roles, baselines, folder names.</summary>
    public IEnumerable<string> PossibleCandidateNames() =>
        Enum.GetValues<ModelRole>().Select(r => ConfigNaming.NameOf(r))
            .Concat(Baselines.Select(b => ConfigNaming.NameOf(b)))
            .Concat(Models.Select(m => m.Name));

    void IValidatableSettings.Validate(SettingsValidationContext context)
    {
        if (Reference is { } reference && context.IsValid("reference", "models", "baselines"))
        {
            var names = PossibleCandidateNames().Distinct().ToList();
            if (!names.Contains(reference, StringComparer.Ordinal))
            {
                var closest = Suggestions.Closest(reference, names);
                context.Error("reference", $"'{reference}' is not a candidate; candidates can be {string.Join(", ", names)}" +
                                           (closest is null ? "" : $" (did you mean '{closest}'?)"));
            }
        }
        var duplicate = Models.GroupBy(m => m.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) context.Error("models", $"two models are named '{duplicate.Key}'; give each its own name");
        var clash = Models.Select(m => m.Name).FirstOrDefault(n => Enum.GetValues<ModelRole>().Select(r => ConfigNaming.NameOf(r))
            .Concat(Enum.GetValues<BaselineKind>().Select(b => ConfigNaming.NameOf(b))).Contains(n, StringComparer.Ordinal));
        if (clash is not null) context.Error("models", $"the name '{clash}' is taken by a model role or a baseline; name the folder's candidate differently");
        if (DiversitySamples == 1) context.Error("diversity_samples", "must be 0 (off) or at least 2: diversity is measured among several replies to one prompt");
        if (Judges.Any(string.IsNullOrWhiteSpace)) context.Error("judges", "a judge name is empty; name a reward source such as house_style or reward_model");
        if (Baselines.Count > 0 && string.IsNullOrWhiteSpace(SystemPrompt) && Baselines.Contains(BaselineKind.SystemPrompt))
            context.Error("system_prompt", "is empty, but the system_prompt baseline needs an instruction");
    }
}

/// <summary>A model outside the run to evaluate: a candidate name and where its folder is.</summary>
public sealed record EvaluationModel
{
    /// <summary>The candidate's name in the report, e.g. my-finetune. Required.</summary>
    [Required(Hint = "the candidate's name in the report, e.g. name: my-finetune")]
    public string Name { get; init; } = "";

    /// <summary>A model folder (config.json, model.safetensors, tokenizer files) or artifact:ID. Required.</summary>
    [Required(Hint = "the model folder, e.g. path: ../models/my-finetune")]
    public string Path { get; init; } = "";
}

/// <summary>Models a run can compare; spelled like the artifact roles (base_model, sft_model, policy_model).</summary>
public enum ModelRole
{
    BaseModel,
    SftModel,
    PolicyModel,
}

/// <summary>The cheaper alternatives to post-training: the untrained model, only prompted differently (system_prompt, few_shot, rag).</summary>
public enum BaselineKind
{
    /// <summary>An instruction in the system message describing the wanted replies.</summary>
    SystemPrompt,

    /// <summary>In-context learning: k fixed examples from the training split as earlier turns.</summary>
    FewShot,

    /// <summary>Retrieval: the k training examples most similar to the question (BM25) as earlier turns.</summary>
    Rag,
}

/// <summary>The artifact role of a <see cref="ModelRole"/>.</summary>
public static class ModelRoles
{
    public static string RoleOf(ModelRole role) => role switch
    {
        ModelRole.BaseModel => ArtifactRoles.BaseModel,
        ModelRole.SftModel => ArtifactRoles.SftModel,
        _ => ArtifactRoles.PolicyModel,
    };
}
