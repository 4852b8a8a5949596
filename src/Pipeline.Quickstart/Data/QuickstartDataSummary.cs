namespace Pipeline.Quickstart.Data;

/// <summary>A deliberate defect in support.jsonl: its 1-based line and what is wrong with it.</summary>
public sealed record SftDataDefect(int Line, string Description);

/// <summary>What <see cref="QuickstartDataWriter.Write"/> wrote.</summary>
public sealed record QuickstartDataSummary
{
    public required string Directory { get; init; }

    public required int PretrainingDocuments { get; init; }

    public required long PretrainingBytes { get; init; }

    /// <summary>Well-formed, distinct SFT conversations.</summary>
    public required int SftExamples { get; init; }

    /// <summary>Lines of support.jsonl: the examples plus the defects.</summary>
    public required int SftLines { get; init; }

    public required IReadOnlyList<SftDataDefect> SftDefects { get; init; }

    public required int PreferencePairs { get; init; }

    public required int EvalPrompts { get; init; }
}
