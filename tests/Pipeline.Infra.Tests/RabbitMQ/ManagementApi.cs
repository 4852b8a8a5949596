using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Pipeline.Infra.Tests.RabbitMQ;

/// <summary>The RabbitMQ test.sh starts (infra/local/deps.sh): its AMQP URI, and its management API in a private vhost.</summary>
public sealed class ManagementApi : IAsyncDisposable
{
    private readonly HttpClient http;
    private readonly List<string> vhosts = [];

    public ManagementApi()
    {
        http = new HttpClient { BaseAddress = new Uri(Require("PIPELINE_TEST_RABBITMQ_MANAGEMENT").TrimEnd('/') + "/api/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("guest:guest"u8.ToArray()));
    }

    public static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run ./test.sh, which starts RabbitMQ and Azurite (infra/local/deps.sh) and exports it, or `. .infra/run/env.sh` after `infra/local/deps.sh start`.");

    /// <summary>A fresh vhost that guest may use; deleted on dispose. Returns its AMQP URI.</summary>
    public async Task<(string Vhost, string Amqp)> CreateVhostAsync(string prefix)
    {
        var vhost = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)];
        (await http.PutAsync($"vhosts/{vhost}", null)).EnsureSuccessStatusCode();
        this.vhosts.Add(vhost);
        (await http.PutAsJsonAsync($"permissions/{vhost}/guest", new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        var amqp = new UriBuilder(Require("PIPELINE_TEST_RABBITMQ")) { Path = "/" + vhost }.Uri.ToString();
        return (vhost, amqp);
    }

    public async Task<JsonObject> DefinitionsAsync(string vhost) =>
        (JsonNode.Parse(await http.GetStringAsync($"definitions/{Uri.EscapeDataString(vhost)}")) as JsonObject)!;

    public async Task ImportAsync(string vhost, string definitionsJson)
    {
        var response = await http.PostAsync($"definitions/{Uri.EscapeDataString(vhost)}", new StringContent(definitionsJson, Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"importing definitions into {vhost}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public async Task<long> MessagesAsync(string vhost, string queue)
    {
        // The management API aggregates counts every few seconds; read until the figure is non-zero or a bound passes.
        for (var i = 0; ; i++)
        {
            var node = JsonNode.Parse(await http.GetStringAsync($"queues/{Uri.EscapeDataString(vhost)}/{queue}"))!;
            var messages = node["messages"]?.GetValue<long>() ?? 0;
            if (messages > 0 || i >= 60) return messages;
            await Task.Delay(500);
        }
    }

    public async Task PurgeAsync(string vhost, string queue) =>
        (await http.DeleteAsync($"queues/{Uri.EscapeDataString(vhost)}/{queue}/contents")).EnsureSuccessStatusCode();

    public async ValueTask DisposeAsync()
    {
        foreach (var vhost in this.vhosts) await http.DeleteAsync($"vhosts/{vhost}");
        http.Dispose();
    }
}
