using Azure.Core;

namespace Pipeline.Artifacts.Tests.Artifacts;

/// <summary>The policy as configuration; <see cref="BlobRetryTests"/> shows the SDK acting on it against Azurite.</summary>
public sealed class BlobRetrySettingsTests
{
    [Fact]
    public void Defaults_are_exponential_backoff_applied_to_the_client_options()
    {
        var options = new BlobRetrySettings().CreateClientOptions();
        Assert.Equal(RetryMode.Exponential, options.Retry.Mode);
        Assert.Equal(6, options.Retry.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(0.5), options.Retry.Delay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Retry.MaxDelay);
        Assert.Equal(TimeSpan.FromMinutes(5), options.Retry.NetworkTimeout);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BlobRetrySettings { Delay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(1) }.CreateClientOptions());
    }
}
