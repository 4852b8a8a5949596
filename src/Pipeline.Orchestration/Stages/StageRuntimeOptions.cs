namespace Pipeline.Orchestration.Stages;

/// <summary>
/// How long-running stages share the broker. RabbitMQ closes a channel whose delivery stays unacknowledged
/// past its consumer_timeout (30 minutes by default), so a stage never holds one delivery for hours: it
/// works in slices, checkpoints, and re-sends its command for the next slice.
/// </summary>
public sealed record StageRuntimeOptions
{
    /// <summary>Work per delivery before the worker is asked to checkpoint and yield. Default 5 min, far below 30 min.</summary>
    public TimeSpan SliceDuration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The broker's consumer_timeout (RabbitMQ's default, 30 min). A slice must end well before it, or the
    /// broker closes the channel mid-stage; validation enforces at most half of it.
    /// </summary>
    public TimeSpan BrokerConsumerTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>A replica owns a stage while its lease is fresh; a crashed owner's lease runs out after this.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the owner renews its lease. Must be well under <see cref="LeaseDuration"/>.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Minimum time between two progress events of one stage.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Identifies this replica in leases and events. Default: host name and process id.</summary>
    public string WorkerId { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>Local scratch space for stage work (downloaded inputs, files being written).</summary>
    public string ScratchDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "pipeline-scratch");

    public void Validate()
    {
        if (SliceDuration <= TimeSpan.Zero) throw new ArgumentException($"Pipeline:Runtime:SliceDuration must be positive; got {SliceDuration}.");
        if (SliceDuration * 2 > BrokerConsumerTimeout)
            throw new ArgumentException(
                $"Pipeline:Runtime:SliceDuration ({SliceDuration}) must be at most half of the broker's consumer timeout ({BrokerConsumerTimeout}); " +
                "otherwise the broker closes the channel of a long slice before it acknowledges its delivery.");
        if (HeartbeatInterval <= TimeSpan.Zero || HeartbeatInterval * 2 > LeaseDuration)
            throw new ArgumentException($"Pipeline:Runtime:HeartbeatInterval ({HeartbeatInterval}) must be positive and at most half of LeaseDuration ({LeaseDuration}).");
    }
}
