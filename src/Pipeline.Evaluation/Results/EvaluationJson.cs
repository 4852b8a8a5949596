using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Evaluation.Results;

/// <summary>How evaluation state and results are written: snake_case names, enums as strings, NaN allowed (an unscored metric).</summary>
public static class EvaluationJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = false,
    };
}

/// <summary>
/// What an evaluate slice checkpoints: the candidates finished so far. A replica that dies loses at most the candidate it
/// was generating; the next slice continues with the first unfinished one.
/// </summary>
public sealed record EvaluationState
{
    public const string FileName = "evaluation_state.json";

    public IReadOnlyList<CandidateAnswers> Finished { get; init; } = [];
}
