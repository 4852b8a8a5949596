using System.Net.Sockets;
using Azure;

namespace Pipeline.Artifacts.Tests.Artifacts;

/// <summary>
/// Which failures are a storage outage (worth retrying the work later) and what a person is told when one outlasts the
/// retries: a real blob client against a port where nothing listens, and the SDK's exception shapes.
/// </summary>
public sealed class StorageOutageTests
{
    private static readonly BlobRetrySettings TwoQuickRetries = new() { MaxRetries = 2, Delay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(2) };

    [Fact]
    public async Task A_storage_server_that_is_down_is_an_outage_and_the_reason_names_its_endpoint()
    {
        var port = ClosedPort();
        var store = ArtifactStoreFactory.Create(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;ContainerName=models;",
            TwoQuickRetries);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => store.ExistsAsync("runs/r1/sft/model"));

        Assert.True(StorageOutage.IsOutage(error), error.ToString());
        var reason = StorageOutage.Describe(error, store.Location, TwoQuickRetries);
        Assert.StartsWith($"storage unreachable: blob container 'models' at http://127.0.0.1:{port}/devstoreaccount1/models did not answer after 2 retries", reason);
        Assert.Contains($"127.0.0.1:{port}", reason.Split("(Pipeline:Storage:Retry): ")[1]); // the client's last error, in one line
        Assert.DoesNotContain("\n", reason);
    }

    [Theory]
    [InlineData(503, true)]
    [InlineData(500, true)]
    [InlineData(429, true)]
    [InlineData(408, true)]
    [InlineData(404, false)]
    [InlineData(409, false)]
    [InlineData(412, false)]
    [InlineData(403, false)]
    public void Statuses_the_client_retries_are_an_outage_and_answers_about_the_request_are_not(int status, bool outage)
    {
        var error = new RequestFailedException(status, "Server Busy\nStatus: " + status);
        Assert.Equal(outage, StorageOutage.IsOutage(error));
        Assert.Equal(outage, StorageOutage.IsOutage(new AggregateException("Retry failed after 3 tries.", error, error)));
        Assert.Equal(outage, StorageOutage.IsOutage(new InvalidOperationException("the upload of weights.bin failed", error)));
    }

    [Fact]
    public void A_dropped_connection_mid_read_is_an_outage_and_other_io_errors_are_not()
    {
        Assert.True(StorageOutage.IsOutage(new IOException("Unable to read data from the transport connection.", new SocketException((int)SocketError.ConnectionReset))));
        Assert.False(StorageOutage.IsOutage(new IOException("No space left on device")));
        Assert.False(StorageOutage.IsOutage(new ArtifactCorruptException("runs/r1/sft/model", "weights.bin", "SHA-256 differs")));
    }

    [Fact]
    public void A_status_answer_names_its_status_once()
    {
        var reason = StorageOutage.Describe(new RequestFailedException(503, "Server Busy\nStatus: 503"), "blob container 'a' at http://h/a", TwoQuickRetries);
        Assert.Equal("storage unreachable: blob container 'a' at http://h/a did not answer after 2 retries (Pipeline:Storage:Retry): HTTP 503: Server Busy", reason);
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port; // closed again when the listener is disposed
    }
}
