namespace Pipeline.Artifacts.Tests.Support;

/// <summary>A clock that always says the same time, so manifests' created_at can be asserted exactly.</summary>
public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public static readonly DateTimeOffset Instant = new(2026, 11, 3, 14, 15, 9, 265, TimeSpan.Zero);

    public FixedTimeProvider() : this(Instant) { }

    public override DateTimeOffset GetUtcNow() => now;
}
