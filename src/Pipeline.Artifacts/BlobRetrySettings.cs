using Azure.Core;
using Azure.Storage.Blobs;

namespace Pipeline.Artifacts;

/// <summary>
/// How the Azure SDK retries transient blob failures (408, 429, 500, 502, 503, 504, dropped
/// connections, timeouts). Every request the stores make, including each block of a streaming
/// upload and each range of a streaming read, goes through this policy, so a transient failure in
/// the middle of a 2 GB upload costs one block, not the file.
/// </summary>
public sealed record BlobRetrySettings
{
    /// <summary>Exponential backoff: delay doubles per attempt (with jitter), capped at <see cref="MaxDelay"/>.</summary>
    public RetryMode Mode { get; init; } = RetryMode.Exponential;

    /// <summary>6 retries: with 0.5 s doubling this rides out about half a minute of throttling or a storage failover.</summary>
    public int MaxRetries { get; init; } = 6;

    /// <summary>0.5 s first delay: short enough that a single dropped request barely shows.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>30 s cap so a long outage does not push one attempt minutes away.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>5 minutes per request: a 4 MiB block on a slow link must not be cut off (the SDK default is 100 s).</summary>
    public TimeSpan NetworkTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Client options with this retry policy applied.</summary>
    public BlobClientOptions CreateClientOptions()
    {
        var options = new BlobClientOptions();
        Apply(options);
        return options;
    }

    /// <summary>Applies this policy to existing client options (for example ones with a custom transport).</summary>
    public void Apply(BlobClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (MaxRetries < 0) throw new ArgumentOutOfRangeException(nameof(MaxRetries), MaxRetries, "MaxRetries must be 0 or more.");
        if (Delay < TimeSpan.Zero || MaxDelay < Delay)
            throw new ArgumentOutOfRangeException(nameof(MaxDelay), MaxDelay, $"Delay ({Delay}) must be non-negative and at most MaxDelay.");
        options.Retry.Mode = Mode;
        options.Retry.MaxRetries = MaxRetries;
        options.Retry.Delay = Delay;
        options.Retry.MaxDelay = MaxDelay;
        options.Retry.NetworkTimeout = NetworkTimeout;
    }
}
