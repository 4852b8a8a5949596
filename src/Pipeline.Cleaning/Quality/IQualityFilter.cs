using Pipeline.Data;

namespace Pipeline.Cleaning.Quality;

/// <summary>One quality rule. Implementations are immutable and thread-safe.</summary>
public interface IQualityFilter
{
    /// <summary>The drop reason this filter reports (snake_case, used as a counter name).</summary>
    string Reason { get; }

    QualityVerdict Check(Example example);
}
