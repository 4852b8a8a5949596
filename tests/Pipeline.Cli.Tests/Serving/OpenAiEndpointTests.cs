using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Pipeline.Serving.Endpoints;

namespace Pipeline.Cli.Tests.Serving;

/// <summary>The endpoint client's retries, timeout and concurrency limit, against a scripted server on a real port.</summary>
public sealed class OpenAiEndpointTests
{
    private int calls;
    private int inFlight;
    private int mostInFlight;

    private async Task<(WebApplication App, Uri Endpoint)> Start(Func<int, HttpContext, Task> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/v1/chat/completions", async context =>
        {
            var call = Interlocked.Increment(ref calls);
            var now = Interlocked.Increment(ref inFlight);
            lock (this) mostInFlight = Math.Max(mostInFlight, now);
            try { await answer(call, context); }
            finally { Interlocked.Decrement(ref inFlight); }
        });
        await app.StartAsync();
        return (app, new Uri(app.Urls.First() + "/v1/"));
    }

    private static Task Reply(HttpContext context, string text) => Results.Json(new JsonObject
    {
        ["id"] = "chatcmpl-1", ["object"] = "chat.completion", ["created"] = 0, ["model"] = "m",
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0, ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text }, ["finish_reason"] = "stop",
        }),
        ["usage"] = new JsonObject { ["prompt_tokens"] = 7, ["completion_tokens"] = 3, ["total_tokens"] = 10 },
    }).ExecuteAsync(context);

    [Fact]
    public async Task A_503_is_retried_with_backoff_and_the_usage_counted_once()
    {
        var (app, endpoint) = await Start((call, context) =>
        {
            if (call == 1)
            {
                context.Response.StatusCode = 503;
                return Task.CompletedTask;
            }
            return Reply(context, "fine");
        });
        await using var _ = app;
        using var client = OpenAiEndpoint.CreateChatClient(new OpenAiEndpointOptions { Endpoint = endpoint, Model = "m", MaxRetries = 2 });

        var response = await client.GetResponseAsync("hello", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("fine", response.Text);
        Assert.Equal(2, calls);
        Assert.Equal((1, 0, 7, 3), (client.Usage.Requests, client.Usage.Failures, client.Usage.InputTokens, client.Usage.OutputTokens));
    }

    [Fact]
    public async Task A_server_slower_than_the_timeout_fails_after_the_retries()
    {
        var (app, endpoint) = await Start(async (_, context) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted);
            await Reply(context, "late");
        });
        await using var _ = app;
        using var client = OpenAiEndpoint.CreateChatClient(new OpenAiEndpointOptions
        {
            Endpoint = endpoint, Model = "m", Timeout = TimeSpan.FromMilliseconds(300), MaxRetries = 1,
        });

        await Assert.ThrowsAnyAsync<Exception>(() => client.GetResponseAsync("hello", cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(2, calls);
        Assert.Equal(1, client.Usage.Failures);
    }

    [Fact]
    public async Task No_more_requests_than_the_limit_are_in_flight()
    {
        var (app, endpoint) = await Start(async (_, context) =>
        {
            await Task.Delay(200, context.RequestAborted);
            await Reply(context, "ok");
        });
        await using var _ = app;
        using var client = OpenAiEndpoint.CreateChatClient(new OpenAiEndpointOptions { Endpoint = endpoint, Model = "m", MaxConcurrency = 2 });

        var replies = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.GetResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken)));

        Assert.All(replies, r => Assert.Equal("ok", r.Text));
        Assert.Equal(6, calls);
        Assert.Equal(2, mostInFlight);
        Assert.Equal(6 * 3, client.Usage.OutputTokens);
    }
}
