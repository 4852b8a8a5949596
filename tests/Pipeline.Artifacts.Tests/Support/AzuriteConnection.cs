using Azure.Storage.Blobs;
using Pipeline.Artifacts;

namespace Pipeline.Artifacts.Tests.Support;

/// <summary>
/// The real Azurite the test scripts start. Blob tests must fail, never skip, when it is absent, so a
/// CI run without storage cannot look green.
/// </summary>
public static class AzuriteConnection
{
    public const string VariableName = "PIPELINE_TEST_BLOB";

    public static string Require()
    {
        var value = Environment.GetEnvironmentVariable(VariableName);
        if (string.IsNullOrWhiteSpace(value))
            throw new InvalidOperationException($"{VariableName} not set: run ./test.sh, which starts Azurite (or export {VariableName} with the Azurite connection string).");
        return value;
    }

    /// <summary>A fresh, uniquely named container so concurrent test runs can share one Azurite.</summary>
    public static string UniqueContainerName() => "t" + Guid.NewGuid().ToString("N");

    /// <summary>A client for a new unique container (not yet created: the stores create it on first use).</summary>
    public static BlobContainerClient UniqueContainer(BlobRetrySettings? retry = null) =>
        ArtifactStoreFactory.CreateContainerClient(Require(), UniqueContainerName(), retry ?? FastRetry);

    /// <summary>Retries kept short so a test against a dead Azurite fails in seconds rather than minutes.</summary>
    public static BlobRetrySettings FastRetry { get; } = new()
    {
        MaxRetries = 2,
        Delay = TimeSpan.FromMilliseconds(10),
        MaxDelay = TimeSpan.FromMilliseconds(50),
        NetworkTimeout = TimeSpan.FromSeconds(30),
    };

    public static async ValueTask DeleteQuietlyAsync(BlobContainerClient container)
    {
        try { await container.DeleteIfExistsAsync(); }
        catch (Exception) { /* the unique name makes a leftover harmless */ }
    }
}
