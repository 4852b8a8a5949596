using System.Net;
using Azure;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Pipeline.Artifacts.Tests.Support;
using Pipeline.Contracts;

namespace Pipeline.Artifacts.Tests.Artifacts;

/// <summary>
/// The retry policy exercised for real: an HTTP handler between the SDK and Azurite answers the
/// first uploads of one blob with 503, and the tests count what the SDK did about it.
/// </summary>
public sealed class BlobRetryTests : IAsyncDisposable
{
    private static readonly BlobRetrySettings FastExponential = new()
    {
        MaxRetries = 3,
        Delay = TimeSpan.FromMilliseconds(1),
        MaxDelay = TimeSpan.FromMilliseconds(4),
    };

    private readonly string containerName = AzuriteConnection.UniqueContainerName();
    private readonly string connectionString = AzuriteConnection.Require();
    private BlobContainerClient? container;

    [Fact]
    public async Task Transient_503s_are_retried_until_the_upload_succeeds()
    {
        var handler = new FlakyHandler(uriFragment: "weights.bin", failures: 2);
        var store = new BlobArtifactStore(CreateContainer(handler, FastExponential));

        await using (var writer = await store.CreateAsync("runs/r1/sft/model", new ArtifactInfo { Kind = ArtifactKind.Model, ProducerStage = "sft" }))
        {
            await writer.WriteAllTextAsync("weights.bin", "abc");
            await writer.CommitAsync();
        }

        Assert.Equal(2, handler.Injected);
        // The refused request was sent again, unchanged, until the third attempt reached Azurite.
        Assert.True(handler.Attempts.Count >= 3, $"expected at least 3 attempts, saw {handler.Attempts.Count}");
        Assert.Equal(handler.Attempts[0], handler.Attempts[1]);
        Assert.Equal(handler.Attempts[0], handler.Attempts[2]);
        Assert.Equal("abc", await store.ReadAllTextAsync("runs/r1/sft/model", "weights.bin"));
    }

    [Fact]
    public async Task Persistent_503s_surface_after_the_configured_number_of_retries_and_block_the_commit()
    {
        // Only the block-list commit fails: the file's bytes are staged but the blob never completes.
        var handler = new FlakyHandler(uriFragment: "comp=blocklist", failures: 100);
        var store = new BlobArtifactStore(CreateContainer(handler, FastExponential with { MaxRetries = 2 }));
        await using var writer = await store.CreateAsync("runs/r1/sft/model", new ArtifactInfo { Kind = ArtifactKind.Model, ProducerStage = "sft" });

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => writer.WriteAllTextAsync("weights.bin", "abc"));

        Assert.Equal(503, error.Status);
        Assert.Equal(3, handler.Attempts.Count); // the first try and two retries
        var commit = await Assert.ThrowsAsync<InvalidOperationException>(() => writer.CommitAsync());
        Assert.Contains("the upload of weights.bin failed", commit.Message);
        Assert.False(await store.ExistsAsync("runs/r1/sft/model"));
    }

    private BlobContainerClient CreateContainer(HttpMessageHandler handler, BlobRetrySettings retry)
    {
        var options = retry.CreateClientOptions();
        options.Transport = new HttpClientTransport(handler);
        var azure = Assert.IsType<StorageConnectionString.AzureBlob>(StorageConnectionString.Parse(connectionString));
        container = new BlobServiceClient(azure.AzureConnectionString, options).GetBlobContainerClient(containerName);
        return container;
    }

    public async ValueTask DisposeAsync()
    {
        if (container is not null) await AzuriteConnection.DeleteQuietlyAsync(container);
    }

    /// <summary>Answers the first <c>failures</c> PUTs whose URI contains a fragment with 503 Server Busy; passes everything else on.</summary>
    private sealed class FlakyHandler(string uriFragment, int failures) : DelegatingHandler(new SocketsHttpHandler())
    {
        private readonly List<string> attempts = [];
        private int injected;

        /// <summary>Path and query of every matching PUT, in order.</summary>
        public IReadOnlyList<string> Attempts { get { lock (this.attempts) return [.. this.attempts]; } }
        public int Injected => this.injected;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!.PathAndQuery;
            if (request.Method == HttpMethod.Put && uri.Contains(uriFragment, StringComparison.Ordinal))
            {
                lock (this.attempts) this.attempts.Add(uri);
                if (this.injected < failures)
                {
                    this.injected++;
                    return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { RequestMessage = request, ReasonPhrase = "Server Busy (injected by test)" };
                }
            }
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
