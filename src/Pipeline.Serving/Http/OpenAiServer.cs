using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Pipeline.Serving.Local;

namespace Pipeline.Serving.Http;

/// <summary>Where <c>pipeline serve</c> listens.</summary>
public sealed record ServeOptions
{
    /// <summary>Address to bind (127.0.0.1: this machine only; another address exposes an unauthenticated model server).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port (8000, vLLM's; 0 picks a free one).</summary>
    public int Port { get; init; } = 8000;
}

/// <summary>
/// The OpenAI-compatible HTTP server: <c>/v1/chat/completions</c> and <c>/v1/completions</c> (plain JSON or server-sent
/// events), <c>/v1/models</c>, <c>/health</c>, <c>/metrics</c> (Prometheus text). Chat goes through the
/// <see cref="IChatClient"/> seam; every request lands in the model's continuous batching scheduler, so concurrent
/// requests share forward passes.
/// </summary>
public static class OpenAiServer
{
    public static WebApplication Build(ServedModel model, ServeOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            if (options.Host == "localhost") kestrel.ListenLocalhost(options.Port);
            else if (IPAddress.TryParse(options.Host, out var address)) kestrel.Listen(address, options.Port);
            else throw new ArgumentException($"--host {options.Host}: give an IP address (127.0.0.1, 0.0.0.0, ::1) or localhost.");
        });
        var app = builder.Build();
        app.MapOpenAiEndpoints(model, new LocalChatClient(model));
        return app;
    }

    /// <summary>The endpoints alone, on any route builder (the chat client may be any <see cref="IChatClient"/>).</summary>
    public static void MapOpenAiEndpoints(this IEndpointRouteBuilder app, ServedModel model, IChatClient chat)
    {
        var metrics = new ServingMetrics();
        app.MapGet("/health", () => Results.Text("Healthy"));
        app.MapGet("/metrics", () => Results.Text(metrics.Prometheus(model.Scheduler.Statistics), "text/plain; version=0.0.4"));
        app.MapGet("/v1/models", () => Results.Json(new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(new JsonObject { ["id"] = model.Name, ["object"] = "model", ["created"] = 0, ["owned_by"] = "pipeline" }),
        }));
        app.MapPost("/v1/chat/completions", context => Handle(context, metrics, "chat", body => ChatAsync(context, body, model, chat, metrics)));
        app.MapPost("/v1/completions", context => Handle(context, metrics, "completions", body => CompletionsAsync(context, body, model, metrics)));
    }

    private static async Task Handle(HttpContext context, ServingMetrics metrics, string endpoint, Func<JsonObject, Task> run)
    {
        metrics.Request(endpoint);
        try
        {
            var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false) as JsonObject
                ?? throw new ArgumentException("The request body must be a JSON object.");
            await run(body).ConfigureAwait(false);
        }
        catch (Exception error) when (error is ArgumentException or JsonException or InvalidOperationException && !context.Response.HasStarted)
        {
            metrics.Error(endpoint);
            var status = error is ModelNotFoundException ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;
            await Results.Json(Error(error.Message, status == 404 ? "model_not_found" : null), statusCode: status).ExecuteAsync(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // the client went away; its row has left the batch
        }
    }

    private static async Task ChatAsync(HttpContext context, JsonObject body, ServedModel model, IChatClient chat, ServingMetrics metrics)
    {
        CheckModel(body, model);
        var messages = (body["messages"] as JsonArray ?? throw new ArgumentException("'messages' is required: an array of {role, content}."))
            .Select(ToMessage).ToList();
        var settings = Settings(body);
        var options = new ChatOptions
        {
            MaxOutputTokens = settings.MaxTokens, Temperature = (float?)settings.Temperature, TopP = (float?)settings.TopP, TopK = settings.TopK,
            StopSequences = [.. settings.Stop],
        };
        var id = ChatOptionsMapper.NewId("chatcmpl");
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (body["stream"]?.GetValue<bool>() != true)
        {
            var response = await chat.GetResponseAsync(messages, options, context.RequestAborted).ConfigureAwait(false);
            metrics.Tokens(response.Usage);
            await Results.Json(new JsonObject
            {
                ["id"] = id, ["object"] = "chat.completion", ["created"] = created, ["model"] = model.Name,
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = response.Text },
                    ["logprobs"] = null,
                    ["finish_reason"] = FinishReason(response.FinishReason),
                }),
                ["usage"] = Usage(response.Usage),
            }).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var includeUsage = body["stream_options"]?["include_usage"]?.GetValue<bool>() == true;
        var first = true;
        UsageDetails? usage = null;
        await foreach (var update in chat.GetStreamingResponseAsync(messages, options, context.RequestAborted).ConfigureAwait(false))
        {
            if (first) StartEvents(context);
            var delta = new JsonObject();
            if (first) delta["role"] = "assistant";
            if (update.Text.Length > 0 || first) delta["content"] = update.Text;
            first = false;
            usage = update.Contents.OfType<UsageContent>().FirstOrDefault()?.Details ?? usage;
            await Event(context, ChatChunk(id, created, model.Name, delta, update.FinishReason is { } reason ? FinishReason(reason) : null)).ConfigureAwait(false);
        }
        metrics.Tokens(usage);
        if (includeUsage) await Event(context, new JsonObject
        {
            ["id"] = id, ["object"] = "chat.completion.chunk", ["created"] = created, ["model"] = model.Name, ["choices"] = new JsonArray(), ["usage"] = Usage(usage),
        }).ConfigureAwait(false);
        await Done(context).ConfigureAwait(false);
    }

    private static async Task CompletionsAsync(HttpContext context, JsonObject body, ServedModel model, ServingMetrics metrics)
    {
        CheckModel(body, model);
        var prompt = body["prompt"] switch
        {
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            JsonArray { Count: 1 } array when array[0] is JsonValue one && one.TryGetValue<string>(out var text) => text,
            _ => throw new ArgumentException("'prompt' is required: one string (this server completes one prompt per request)."),
        };
        var settings = Settings(body);
        var id = ChatOptionsMapper.NewId("cmpl");
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        JsonObject Choice(string text, string? finish) => new() { ["text"] = text, ["index"] = 0, ["logprobs"] = null, ["finish_reason"] = finish };
        if (body["stream"]?.GetValue<bool>() != true)
        {
            var result = await model.CompleteAsync(prompt, isChat: false, settings, context.RequestAborted).ConfigureAwait(false);
            metrics.Tokens(ChatOptionsMapper.ToUsage(result));
            await Results.Json(new JsonObject
            {
                ["id"] = id, ["object"] = "text_completion", ["created"] = created, ["model"] = model.Name,
                ["choices"] = new JsonArray(Choice(result.Text, result.FinishReason)),
                ["usage"] = Usage(ChatOptionsMapper.ToUsage(result)),
            }).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }
        var started = false;
        CompletionResult? final = null;
        await foreach (var delta in model.StreamAsync(prompt, isChat: false, settings, context.RequestAborted).ConfigureAwait(false))
        {
            if (!started) StartEvents(context);
            started = true;
            final = delta.Final ?? final;
            await Event(context, new JsonObject
            {
                ["id"] = id, ["object"] = "text_completion", ["created"] = created, ["model"] = model.Name,
                ["choices"] = new JsonArray(Choice(delta.Text, delta.Final?.FinishReason)),
            }).ConfigureAwait(false);
        }
        if (final is not null) metrics.Tokens(ChatOptionsMapper.ToUsage(final));
        await Done(context).ConfigureAwait(false);
    }

    private static void CheckModel(JsonObject body, ServedModel model)
    {
        var name = body["model"]?.GetValue<string>();
        if (name is not null && name != model.Name)
            throw new ModelNotFoundException($"The model '{name}' is not served here; this server serves '{model.Name}' (see /v1/models).");
        if (body["n"] is { } n && n.GetValue<int>() != 1) throw new ArgumentException("'n' must be 1: this server returns one choice per request.");
    }

    private static CompletionSettings Settings(JsonObject body) => new()
    {
        MaxTokens = (body["max_completion_tokens"] ?? body["max_tokens"])?.GetValue<int>(),
        Temperature = body["temperature"]?.GetValue<double>(),
        TopP = body["top_p"]?.GetValue<double>(),
        TopK = body["top_k"]?.GetValue<int>(),
        Stop = body["stop"] switch
        {
            null => [],
            JsonValue one => [one.GetValue<string>()],
            JsonArray many => [.. many.Select(s => s!.GetValue<string>())],
            _ => throw new ArgumentException("'stop' must be a string or an array of strings."),
        },
    };

    private static Microsoft.Extensions.AI.ChatMessage ToMessage(JsonNode? node)
    {
        var role = node?["role"]?.GetValue<string>() ?? throw new ArgumentException("Every message needs a 'role'.");
        var content = node["content"] switch
        {
            null => "",
            JsonValue text => text.GetValue<string>(),
            JsonArray parts => string.Concat(parts.Select(p => p?["type"]?.GetValue<string>() == "text"
                ? p["text"]?.GetValue<string>() ?? ""
                : throw new ArgumentException("Only text content parts are supported."))),
            _ => throw new ArgumentException("A message's 'content' must be a string or an array of text parts."),
        };
        return new Microsoft.Extensions.AI.ChatMessage(new ChatRole(role == "developer" ? "system" : role), content);
    }

    private static JsonObject ChatChunk(string id, long created, string model, JsonObject delta, string? finish) => new()
    {
        ["id"] = id, ["object"] = "chat.completion.chunk", ["created"] = created, ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finish }),
    };

    private static string FinishReason(ChatFinishReason? reason) => reason == ChatFinishReason.Length ? "length" : "stop";

    private static JsonObject Usage(UsageDetails? usage) => new()
    {
        ["prompt_tokens"] = usage?.InputTokenCount ?? 0,
        ["completion_tokens"] = usage?.OutputTokenCount ?? 0,
        ["total_tokens"] = usage?.TotalTokenCount ?? 0,
    };

    private static JsonObject Error(string message, string? code) => new()
    {
        ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error", ["param"] = null, ["code"] = code },
    };

    private static void StartEvents(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
    }

    private static async Task Event(HttpContext context, JsonObject data)
    {
        await context.Response.WriteAsync($"data: {data.ToJsonString()}\n\n", context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task Done(HttpContext context)
    {
        if (!context.Response.HasStarted) StartEvents(context);
        await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted).ConfigureAwait(false);
    }
}

/// <summary>The request names a model this server does not serve (404, as OpenAI answers).</summary>
public sealed class ModelNotFoundException(string message) : ArgumentException(message);
