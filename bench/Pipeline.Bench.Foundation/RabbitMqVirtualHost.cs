using System.Net.Http.Headers;
using System.Text;

namespace Pipeline.Bench.Foundation;

/// <summary>
/// A private RabbitMQ virtual host for one benchmark run, deleted (with every queue and exchange in it)
/// on dispose. MassTransit routes by message type through broker-wide exchanges, so without this a
/// benchmark's DatasetPrepared events would reach any other pipeline consuming on the same broker.
/// </summary>
public sealed class RabbitMqVirtualHost : IAsyncDisposable
{
    private readonly HttpClient management;

    private RabbitMqVirtualHost(HttpClient management, string name, string amqpUri)
    {
        this.management = management;
        Name = name;
        AmqpUri = amqpUri;
    }

    public string Name { get; }

    /// <summary>The AMQP URI of the broker with this virtual host as its path.</summary>
    public string AmqpUri { get; }

    public static async Task<RabbitMqVirtualHost> CreateAsync(string amqpUri, string managementUri, string name, CancellationToken ct)
    {
        if (!Uri.TryCreate(amqpUri, UriKind.Absolute, out var amqp) || amqp.Scheme != "amqp")
            throw new ArgumentException($"{BenchEnvironment.RabbitMqVariable}='{amqpUri}' is not an amqp:// URI such as amqp://guest:guest@127.0.0.1:5672/.");
        var credentials = Uri.UnescapeDataString(amqp.UserInfo).Split(':', 2);
        var user = credentials[0].Length > 0 ? credentials[0] : "guest";
        var password = credentials.Length > 1 ? credentials[1] : "guest";

        var management = new HttpClient { BaseAddress = new Uri(managementUri.TrimEnd('/') + "/api/"), Timeout = TimeSpan.FromSeconds(30) };
        management.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        var vhost = Uri.EscapeDataString(name);
        try
        {
            await SendAsync(management, HttpMethod.Put, $"vhosts/{vhost}", "{}", ct).ConfigureAwait(false);
            await SendAsync(management, HttpMethod.Put, $"permissions/{vhost}/{Uri.EscapeDataString(user)}",
                """{"configure":".*","write":".*","read":".*"}""", ct).ConfigureAwait(false);
        }
        catch
        {
            management.Dispose();
            throw;
        }
        var withVhost = new UriBuilder(amqp) { Path = "/" + name }.Uri.ToString();
        return new RabbitMqVirtualHost(management, name, withVhost);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await SendAsync(this.management, HttpMethod.Delete, $"vhosts/{Uri.EscapeDataString(Name)}", null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"warning: could not delete the benchmark's RabbitMQ virtual host '{Name}': {e.Message}. Delete it with: rabbitmqctl delete_vhost {Name}").ConfigureAwait(false);
        }
        this.management.Dispose();
    }

    private static async Task SendAsync(HttpClient client, HttpMethod method, string path, string? json, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException(
                $"The RabbitMQ management API at {client.BaseAddress} did not answer ({e.Message}). Is the broker running with the management plugin? (infra/local/deps.sh start)", e);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException(
                    $"RabbitMQ management API: {method} {client.BaseAddress}{path} answered {(int)response.StatusCode} {response.ReasonPhrase}: " +
                    await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
        }
    }
}
