namespace Pipeline.Orchestration.Stages;

/// <summary>
/// The work of one stage, free of messaging. The runtime calls it once per slice; a worker that has
/// more to do saves a checkpoint and returns <see cref="StageOutcome.Yielded"/> when
/// <see cref="StageContext.ShouldYield"/> turns true, and is called again (possibly on another replica)
/// with the same context and its latest checkpoint.
/// </summary>
public interface IStageWorker
{
    /// <summary>The stage name as in the run config (<see cref="Pipeline.Contracts.StageNames"/>).</summary>
    string Stage { get; }

    Task<StageOutcome> RunAsync(StageContext context, CancellationToken cancellationToken);
}
