namespace Pipeline.Quickstart.Data;

/// <summary>What <see cref="QuickstartDataWriter"/> makes. The defaults are what examples/quickstart/data ships.</summary>
public sealed record QuickstartDataOptions
{
    public static QuickstartDataOptions Default { get; } = new();

    /// <summary>Seed of every generator. Default 20261101; the same seed gives byte-identical files.</summary>
    public int Seed { get; init; } = 20261101;

    /// <summary>Well-formed SFT conversations in support.jsonl. Default 2000: enough for SFT on a tiny model to learn the style in a few minutes.</summary>
    public int SftExamples { get; init; } = 2000;

    /// <summary>Preference pairs in preferences.jsonl. Default 1000: enough for the reward model to agree with the labeler well above chance.</summary>
    public int PreferencePairs { get; init; } = 1000;

    /// <summary>Held-out prompts in eval_prompts.jsonl. Default 64: a quick evaluation with every intent several times.</summary>
    public int EvalPrompts { get; init; } = 64;

    /// <summary>Size of pretrain.txt in bytes (it stops at the first document past it). Default 1,200,000: minutes of pretraining on two cores, and small enough to commit.</summary>
    public long PretrainingBytes { get; init; } = 1_200_000;

    /// <summary>Adds two exact duplicates, one invalid JSON line and one empty assistant turn to support.jsonl, so the ingestion stage's data card has something to report. Default true.</summary>
    public bool IncludeDataDefects { get; init; } = true;

    /// <summary>The system turn of every conversation.</summary>
    public string SystemPrompt { get; init; } = "You are the support assistant of Acme Parcel. Follow the house style.";

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range and what is allowed.</summary>
    public QuickstartDataOptions Validate()
    {
        Check(nameof(SftExamples), SftExamples, IncludeDataDefects ? 4 : 1, 100_000, IncludeDataDefects ? " (4 or more when IncludeDataDefects is on: the defects copy rows)" : "");
        Check(nameof(PreferencePairs), PreferencePairs, 0, 100_000, "");
        Check(nameof(EvalPrompts), EvalPrompts, 1, 10_000, "");
        Check(nameof(PretrainingBytes), PretrainingBytes, 1_000, 1_000_000_000, "");
        if (string.IsNullOrWhiteSpace(SystemPrompt))
            throw new ArgumentException($"{nameof(QuickstartDataOptions)}.{nameof(SystemPrompt)} must not be empty.");
        return this;
    }

    private static void Check(string name, long value, long min, long max, string note)
    {
        if (value < min || value > max)
            throw new ArgumentException($"{nameof(QuickstartDataOptions)}.{name} is {value}; allowed: {min} to {max}{note}.");
    }
}
