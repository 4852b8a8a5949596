namespace Pipeline.Orchestration.Stages;

/// <summary>Progress of a stage, for people (progress bars, the API) and for metrics.</summary>
public interface IStageProgress
{
    /// <summary>Reports progress; implementations throttle, so call it as often as convenient.</summary>
    void Report(double fraction, long step = 0, long totalSteps = 0, string? message = null,
        IReadOnlyDictionary<string, double>? metrics = null);
}
