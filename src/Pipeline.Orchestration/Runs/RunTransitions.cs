using Pipeline.Contracts;

namespace Pipeline.Orchestration.Runs;

/// <summary>
/// The run state machine as pure functions: each returns the next record, or null when the event does
/// not apply (a duplicate, a late progress report, an event for a finished run).
/// </summary>
public static class RunTransitions
{
    public static RunRecord Create(Guid runId, string name, string configYaml, IReadOnlyList<string> stages,
        IReadOnlyDictionary<string, ArtifactRef> inputs, DateTimeOffset now)
    {
        if (stages.Count == 0) throw new ArgumentException("A run needs at least one stage.", nameof(stages));
        var statuses = stages.Select((s, i) => new StageStatus
        {
            Stage = s,
            State = i == 0 ? StageState.Running : StageState.Pending,
            StartedAt = i == 0 ? now : null,
        }).ToList();
        return new RunRecord
        {
            RunId = runId, Name = name, ConfigYaml = configYaml, Stages = statuses,
            Artifacts = new Dictionary<string, ArtifactRef>(inputs), CreatedAt = now, UpdatedAt = now,
        };
    }

    /// <summary>A run whose config was refused on receipt: failed before any stage started.</summary>
    public static RunRecord Refused(Guid runId, string configYaml, string reason, DateTimeOffset now) => new()
    {
        RunId = runId, Name = "(invalid config)", ConfigYaml = configYaml, Stages = [], State = RunState.Failed,
        FailedStage = "config", FailureReason = reason, CreatedAt = now, UpdatedAt = now,
    };

    public static RunRecord? StageStarted(RunRecord run, StageStarted e, DateTimeOffset now) =>
        UpdateRunningStage(run, e.Stage, now, s => s with
        {
            Attempts = s.Attempts + 1,
            Slices = Math.Max(s.Slices, e.Slice + 1),
            TakeOvers = s.TakeOvers + (e.TookOverFrom is null ? 0 : 1),
            ResumedFromCheckpoint = s.ResumedFromCheckpoint || e.ResumedFromCheckpoint,
            Worker = e.Worker,
            Message = e.TookOverFrom is not null
                ? $"{e.Worker} took over from {e.TookOverFrom}" + (e.ResumedFromCheckpoint ? ", resuming from the last checkpoint" : ", starting over (no checkpoint yet)")
                : $"running on {e.Worker}",
        });

    /// <summary>Takes a progress report unless a newer one already arrived (events may come out of order).</summary>
    public static RunRecord? Progressed(RunRecord run, StageProgressed e, DateTimeOffset now) =>
        run.Current is { } current && current.Stage == e.Stage && current.ProgressAt is { } last && last > e.At
            ? null
            : UpdateRunningStage(run, e.Stage, now, s => s with
            {
                Fraction = e.Fraction, Step = e.Step, TotalSteps = e.TotalSteps, Message = e.Message ?? s.Message,
                Metrics = new Dictionary<string, double>(e.Metrics), ProgressAt = e.At,
            });

    /// <summary>Marks the stage completed, takes its outputs, and starts the next stage or completes the run.</summary>
    public static RunRecord? StageCompleted(RunRecord run, IStageCompleted e, DateTimeOffset now)
    {
        if (run.State != RunState.Running || run.Current?.Stage != e.Stage) return null;
        var artifacts = new Dictionary<string, ArtifactRef>(run.Artifacts);
        foreach (var (role, artifact) in e.Outputs) artifacts[role] = artifact;
        var index = run.Stages.FindIndex(s => s.Stage == e.Stage);
        var stages = run.Stages.Select((s, i) => i == index
            ? s with
            {
                State = StageState.Completed, Fraction = 1, FinishedAt = now, Outputs = new Dictionary<string, ArtifactRef>(e.Outputs),
                Metrics = new Dictionary<string, double>(e.Metrics), Message = "completed",
            }
            : i == index + 1 ? s with { State = StageState.Running, StartedAt = now } : s).ToList();
        return run with
        {
            Stages = stages, Artifacts = artifacts, UpdatedAt = now,
            State = index + 1 == run.Stages.Count ? RunState.Completed : RunState.Running,
        };
    }

    public static RunRecord? StageFailed(RunRecord run, StageFailed e, DateTimeOffset now)
    {
        if (run.State != RunState.Running || run.Current?.Stage != e.Stage) return null;
        return run with
        {
            State = RunState.Failed, FailedStage = e.Stage, FailureReason = e.Reason, UpdatedAt = now,
            Stages = run.Stages.Select(s => s.Stage == e.Stage
                ? s with { State = StageState.Failed, FailureReason = e.Reason, FinishedAt = now, Message = "failed" }
                : s).ToList(),
        };
    }

    public static RunRecord? Cancelled(RunRecord run, string reason, DateTimeOffset now)
    {
        if (run.State != RunState.Running) return null;
        return run with
        {
            State = RunState.Cancelled, FailureReason = reason, FailedStage = run.Current?.Stage, UpdatedAt = now,
            Stages = run.Stages.Select(s => s.State is StageState.Running or StageState.Pending
                ? s with { State = StageState.Cancelled, FinishedAt = s.State == StageState.Running ? now : null, Message = reason }
                : s).ToList(),
        };
    }

    private static RunRecord? UpdateRunningStage(RunRecord run, string stage, DateTimeOffset now, Func<StageStatus, StageStatus> change)
    {
        if (run.State != RunState.Running || run.Current?.Stage != stage) return null;
        return run with
        {
            UpdatedAt = now,
            Stages = run.Stages.Select(s => s.Stage == stage ? change(s) : s).ToList(),
        };
    }
}
