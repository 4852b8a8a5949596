using Pipeline.Data;

namespace Pipeline.Cleaning.Quality;

/// <summary>
/// A filter's decision. <see cref="Detail"/> explains a drop with measured numbers and limits,
/// never with the example's text (which may hold PII).
/// </summary>
public readonly record struct QualityVerdict(bool Keep, string? Reason, string? Detail)
{
    public static QualityVerdict Pass { get; } = new(true, null, null);

    public static QualityVerdict Drop(string reason, string detail) => new(false, reason, detail);
}
