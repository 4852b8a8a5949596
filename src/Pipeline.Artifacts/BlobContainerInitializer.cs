using Azure.Storage.Blobs;

namespace Pipeline.Artifacts;

/// <summary>Creates a container once, on first use, so constructing a store stays synchronous and offline.</summary>
internal sealed class BlobContainerInitializer(BlobContainerClient container)
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile bool ready;

    public async ValueTask EnsureAsync(CancellationToken ct)
    {
        if (ready) return;
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (ready) return;
            // A failure is not cached: the next call tries again (storage may just be starting).
            await container.CreateIfNotExistsAsync(cancellationToken: ct).ConfigureAwait(false);
            ready = true;
        }
        finally
        {
            gate.Release();
        }
    }
}
