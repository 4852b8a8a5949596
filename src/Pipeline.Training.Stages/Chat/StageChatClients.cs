using System.ClientModel;
using Microsoft.Extensions.AI;
using Pipeline.Artifacts;
using Pipeline.Configuration;
using Pipeline.Configuration.Serving;
using Pipeline.Serving.Endpoints;
using Pipeline.Serving.Local;

namespace Pipeline.Training.Stages.Chat;

/// <summary>
/// The one mapping from a stage's settings to the <see cref="IChatClient"/> it asks: an OpenAI-compatible endpoint
/// (<see cref="ChatEndpointSettings"/>; timeouts, retries with backoff, a concurrency limit) or a model in this process
/// (<see cref="LocalChatClient"/>), each behind the artifact-store cache and a token meter that counts only the calls
/// the cache could not answer. Self-instruct's generator and an LLM judge are both made here.
/// </summary>
public static class StageChatClients
{
    /// <param name="key">The settings' place in the run config (stages.synthesize.generator), for error messages.</param>
    public static StageChatClient ForEndpoint(ChatEndpointSettings settings, IArtifactStore cache, string key)
    {
        string? apiKey = null;
        if (settings.ApiKeyEnv is { } variable)
            apiKey = Environment.GetEnvironmentVariable(variable)
                     ?? throw new ArgumentException($"{key}.api_key_env: the environment variable '{variable}' is not set on this machine; set it to the endpoint's API key, or remove api_key_env for a server that needs none.");
        // A base address ends in '/', or the client's relative paths would replace its last segment (/v1).
        if (!Uri.TryCreate(settings.Url.EndsWith('/') ? settings.Url : settings.Url + "/", UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            throw new ArgumentException($"{key}.url: '{settings.Url}' is not an absolute http:// or https:// address.");
        var usage = new ChatUsageMeter();
        var client = OpenAiEndpoint.CreateChatClient(new OpenAiEndpointOptions
        {
            Endpoint = url, Model = settings.Model, ApiKey = apiKey, Timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds),
            MaxRetries = settings.MaxRetries, MaxConcurrency = settings.MaxConcurrency,
        }, usage);
        var name = $"{settings.Url.TrimEnd('/')} model {settings.Model}";
        return new StageChatClient(name, client, usage, cache, $"the endpoint {settings.Url} (model {settings.Model}) after {settings.MaxRetries} retries");
    }

    /// <param name="identity">The model artifact's id: artifacts are immutable, so the id names the weights the cache keys on.</param>
    public static StageChatClient ForLocal(ServedModel model, string identity, int maxConcurrency, IArtifactStore cache)
    {
        var usage = new ChatUsageMeter();
        var client = new ResilientChatClient(new LocalChatClient(model), maxConcurrency, usage);
        return new StageChatClient(identity, client, usage, cache, $"the in-process model {identity}");
    }
}

/// <summary>One model a stage asks: cached, metered, its failures named after it.</summary>
public sealed class StageChatClient : IDisposable
{
    private readonly ArtifactCachingChatClient cached;
    private readonly string where;

    internal StageChatClient(string name, IChatClient metered, ChatUsageMeter usage, IArtifactStore cache, string where)
    {
        Name = name;
        Usage = usage;
        this.where = where;
        cached = new ArtifactCachingChatClient(metered, cache, name);
    }

    /// <summary>What answers (an endpoint and model, or a model artifact), as recorded in provenance and cache keys.</summary>
    public string Name { get; }

    /// <summary>Tokens and requests of the calls that reached the model (cache misses).</summary>
    public ChatUsageMeter Usage { get; }

    public long CacheHits => cached.Hits;

    /// <summary>The cached client, for callers that want the plain <see cref="IChatClient"/> seam.</summary>
    public IChatClient Client => cached;

    /// <summary>
    /// One call through the cache. A model that cannot be reached (after the endpoint's retries) is a
    /// <see cref="ChatCallFailedException"/> naming it; cancellation stays cancellation.
    /// </summary>
    public async Task<ChatResponse> AskAsync(IReadOnlyList<ChatMessage> messages, ChatOptions options, CancellationToken ct)
    {
        try
        {
            return await cached.GetResponseAsync(messages, options, ct).ConfigureAwait(false);
        }
        catch (ChatEndpointException e)
        {
            throw new ChatCallFailedException(e.Message, e);   // already names the endpoint, the model and the attempts
        }
        catch (Exception e) when (e is HttpRequestException or ClientResultException or TimeoutException or AggregateException
                                      || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            throw new ChatCallFailedException($"no answer from {where}: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        cached.Dispose();   // disposes the metered client and the backend under it
    }
}

/// <summary>A model call that failed for good (unreachable endpoint after its retries, server error); the message names the model.</summary>
public sealed class ChatCallFailedException(string message, Exception inner) : Exception(message, inner);
