using Azure.Storage.Blobs;

namespace Pipeline.Artifacts;

/// <summary>Creates a container once, on first use, so constructing a store stays synchronous and offline.</summary>
internal sealed class BlobContainerInitializer(BlobContainerClient container)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _ready;

    public async ValueTask EnsureAsync(CancellationToken ct)
    {
        if (_ready) return;
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_ready) return;
            // A failure is not cached: the next call tries again (storage may just be starting).
            await container.CreateIfNotExistsAsync(cancellationToken: ct).ConfigureAwait(false);
            _ready = true;
        }
        finally
        {
            _gate.Release();
        }
    }
}
