using Pipeline.Contracts;
using Pipeline.Orchestration.Runs;

namespace Pipeline.Orchestration.Tests;

public class RunTransitionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid RunId = Guid.Parse("7f3c0000-0000-0000-0000-000000000001");

    private static RunRecord NewRun() => RunTransitions.Create(RunId, "t", "yaml", [StageNames.Ingest, StageNames.Sft],
        new Dictionary<string, ArtifactRef> { [ArtifactRoles.BaseModel] = new("imports/base", ArtifactKind.Model) }, T0);

    [Fact]
    public void A_new_run_starts_its_first_stage_and_leaves_the_rest_pending()
    {
        var run = NewRun();
        Assert.Equal(RunState.Running, run.State);
        Assert.Equal(StageNames.Ingest, run.Current!.Stage);
        Assert.Equal(StageState.Pending, run.Find(StageNames.Sft)!.State);
    }

    [Fact]
    public void Completing_a_stage_hands_its_outputs_to_the_next_and_starts_it()
    {
        var dataset = new ArtifactRef("runs/x/ingest/dataset", ArtifactKind.Dataset);
        var run = RunTransitions.StageCompleted(NewRun(), new DatasetPrepared
        {
            RunId = RunId, Outputs = new Dictionary<string, ArtifactRef> { [ArtifactRoles.Dataset] = dataset },
            Metrics = new Dictionary<string, double> { ["rows_out"] = 10 },
        }, T0.AddMinutes(1))!;

        Assert.Equal(StageState.Completed, run.Find(StageNames.Ingest)!.State);
        Assert.Equal(10, run.Find(StageNames.Ingest)!.Metrics["rows_out"]);
        Assert.Equal(StageNames.Sft, run.Current!.Stage);
        Assert.Equal(dataset, run.Artifacts[ArtifactRoles.Dataset]);
        Assert.Equal("imports/base", run.Artifacts[ArtifactRoles.BaseModel].Id);
        Assert.Equal(RunState.Running, run.State);
    }

    [Fact]
    public void Completing_the_last_stage_completes_the_run_and_a_duplicate_changes_nothing()
    {
        var run = RunTransitions.StageCompleted(NewRun(), new DatasetPrepared { RunId = RunId, Outputs = new Dictionary<string, ArtifactRef>() }, T0)!;
        var sft = new SftCompleted { RunId = RunId, Outputs = new Dictionary<string, ArtifactRef>() };
        run = RunTransitions.StageCompleted(run, sft, T0)!;
        Assert.Equal(RunState.Completed, run.State);
        Assert.Null(RunTransitions.StageCompleted(run, sft, T0));
    }

    [Fact]
    public void A_failed_stage_fails_the_run_with_its_reason()
    {
        var run = RunTransitions.StageFailed(NewRun(), new StageFailed { RunId = RunId, Stage = StageNames.Ingest, Reason = "bad file" }, T0)!;
        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal("bad file", run.FailureReason);
        Assert.Equal(StageState.Failed, run.Find(StageNames.Ingest)!.State);
        Assert.Equal(StageState.Pending, run.Find(StageNames.Sft)!.State);
    }

    [Fact]
    public void Events_for_a_stage_that_is_not_running_are_ignored()
    {
        Assert.Null(RunTransitions.StageFailed(NewRun(), new StageFailed { RunId = RunId, Stage = StageNames.Sft, Reason = "x" }, T0));
        Assert.Null(RunTransitions.StageCompleted(NewRun(), new SftCompleted { RunId = RunId, Outputs = new Dictionary<string, ArtifactRef>() }, T0));
    }

    [Fact]
    public void An_older_progress_report_arriving_late_does_not_move_progress_back()
    {
        var newer = new StageProgressed { RunId = RunId, Stage = StageNames.Ingest, Fraction = 0.6, At = T0.AddSeconds(2) };
        var older = new StageProgressed { RunId = RunId, Stage = StageNames.Ingest, Fraction = 0.3, At = T0.AddSeconds(1) };
        var run = RunTransitions.Progressed(NewRun(), newer, T0)!;
        Assert.Null(RunTransitions.Progressed(run, older, T0));
        Assert.Equal(0.6, run.Current!.Fraction);
    }

    [Fact]
    public void A_takeover_is_counted_and_explained()
    {
        var run = RunTransitions.StageStarted(NewRun(), new StageStarted
        {
            RunId = RunId, Stage = StageNames.Ingest, Slice = 2, Worker = "b", ResumedFromCheckpoint = true, TookOverFrom = "a",
        }, T0)!;
        var stage = run.Current!;
        Assert.Equal(1, stage.TakeOvers);
        Assert.True(stage.ResumedFromCheckpoint);
        Assert.Equal("b took over from a, resuming from the last checkpoint", stage.Message);
    }

    [Fact]
    public void Cancelling_stops_the_running_stage_and_the_pending_ones()
    {
        var run = RunTransitions.Cancelled(NewRun(), "user", T0)!;
        Assert.Equal(RunState.Cancelled, run.State);
        Assert.All(run.Stages, s => Assert.Equal(StageState.Cancelled, s.State));
        Assert.Null(RunTransitions.Cancelled(run, "again", T0));
    }
}

public class StageRuntimeOptionsTests
{
    [Fact]
    public void A_slice_longer_than_half_the_broker_consumer_timeout_is_refused()
    {
        var options = new Pipeline.Orchestration.Stages.StageRuntimeOptions { SliceDuration = TimeSpan.FromMinutes(20) };
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal("Pipeline:Runtime:SliceDuration (00:20:00) must be at most half of the broker's consumer timeout (00:30:00); " +
                     "otherwise the broker closes the channel of a long slice before it acknowledges its delivery.", error.Message);
    }

    [Fact]
    public void The_defaults_are_valid()
    {
        new Pipeline.Orchestration.Stages.StageRuntimeOptions().Validate();
        Assert.True(new Pipeline.Orchestration.Stages.StageRuntimeOptions().SliceDuration < TimeSpan.FromMinutes(15));
    }
}
