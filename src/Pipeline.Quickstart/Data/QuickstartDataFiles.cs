namespace Pipeline.Quickstart.Data;

/// <summary>The names of the files <see cref="QuickstartDataWriter"/> writes.</summary>
public static class QuickstartDataFiles
{
    /// <summary>Plain text, one document per paragraph, blank-line separated.</summary>
    public const string Pretraining = "pretrain.txt";

    /// <summary>SFT conversations, OpenAI messages format: {"messages":[system, user, assistant]}.</summary>
    public const string Sft = "support.jsonl";

    /// <summary>Explicit preference format: {"prompt":[system, user],"chosen":"..","rejected":".."}.</summary>
    public const string Preferences = "preferences.jsonl";

    /// <summary>Held-out prompts: {"id":..,"intent":..,"prompt":[system, user],"reference":".."}.</summary>
    public const string EvalPrompts = "eval_prompts.jsonl";

    public static IReadOnlyList<string> All { get; } = [Pretraining, Sft, Preferences, EvalPrompts];
}
