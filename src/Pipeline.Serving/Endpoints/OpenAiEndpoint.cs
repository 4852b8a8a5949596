using System.ClientModel;
using System.ClientModel.Primitives;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Pipeline.Serving.Endpoints;

/// <summary>Where and how to reach an OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, our own <c>pipeline serve</c>).</summary>
public sealed record OpenAiEndpointOptions
{
    /// <summary>Base address including the version path, e.g. http://127.0.0.1:8000/v1.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>The model name the endpoint serves.</summary>
    public required string Model { get; init; }

    /// <summary>Bearer key; null sends a placeholder (local servers ignore it).</summary>
    public string? ApiKey { get; init; }

    /// <summary>Time allowed per attempt (120 s: a long completion on a loaded CPU server).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Retries after a timeout, 408, 429 or 5xx, with exponential backoff that honours Retry-After (3).</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>Requests in flight at once from this client (8); more wait their turn rather than overload the server.</summary>
    public int MaxConcurrency { get; init; } = 8;
}

/// <summary>Builds the <see cref="IChatClient"/> for an OpenAI-compatible endpoint, through Microsoft.Extensions.AI.OpenAI.</summary>
public static class OpenAiEndpoint
{
    public static ResilientChatClient CreateChatClient(OpenAiEndpointOptions options, ChatUsageMeter? usage = null)
    {
        if (options.MaxRetries < 0) throw new ArgumentOutOfRangeException(nameof(options), options.MaxRetries, "MaxRetries must be 0 or more");
        var client = new OpenAIClient(new ApiKeyCredential(options.ApiKey ?? "no-key"), new OpenAIClientOptions
        {
            Endpoint = options.Endpoint,
            NetworkTimeout = options.Timeout,
            RetryPolicy = new ClientRetryPolicy(options.MaxRetries),
        });
        return new ResilientChatClient(client.GetChatClient(options.Model).AsIChatClient(), options.MaxConcurrency, usage ?? new ChatUsageMeter())
        {
            Endpoint = options.Endpoint, Model = options.Model, Attempts = options.MaxRetries + 1,
        };
    }
}

/// <summary>Tokens and calls counted across a client's requests (thread-safe).</summary>
public sealed class ChatUsageMeter
{
    private long requests, failures, inputTokens, outputTokens;

    public long Requests => Interlocked.Read(ref requests);
    public long Failures => Interlocked.Read(ref failures);
    public long InputTokens => Interlocked.Read(ref inputTokens);
    public long OutputTokens => Interlocked.Read(ref outputTokens);

    internal void Started() => Interlocked.Increment(ref requests);
    internal void Failed() => Interlocked.Increment(ref failures);

    internal void Add(UsageDetails? usage)
    {
        if (usage is null) return;
        Interlocked.Add(ref inputTokens, usage.InputTokenCount ?? 0);
        Interlocked.Add(ref outputTokens, usage.OutputTokenCount ?? 0);
    }
}

/// <summary>
/// Bounds the requests in flight (a semaphore) and accounts their token usage; retries and timeouts live in the
/// transport underneath (System.ClientModel's retry policy and network timeout).
/// </summary>
public sealed class ResilientChatClient(IChatClient inner, int maxConcurrency, ChatUsageMeter usage) : DelegatingChatClient(inner)
{
    private readonly SemaphoreSlim slots = new(maxConcurrency < 1 ? throw new ArgumentOutOfRangeException(nameof(maxConcurrency)) : maxConcurrency);

    public ChatUsageMeter Usage => usage;

    /// <summary>Where the requests go, named in the error when they fail for good.</summary>
    public Uri? Endpoint { get; init; }

    public string? Model { get; init; }

    /// <summary>Tries per request the transport makes (1 + its retries), for the error message.</summary>
    public int Attempts { get; init; } = 1;

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        usage.Started();
        try
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            usage.Add(response.Usage);
            return response;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            usage.Failed();
            throw Unavailable(e);
        }
        catch
        {
            usage.Failed();
            throw;
        }
        finally
        {
            slots.Release();
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        usage.Started();
        try
        {
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
            {
                foreach (var content in update.Contents.OfType<UsageContent>()) usage.Add(content.Details);
                yield return update;
            }
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>
    /// The transport's own error (connection refused, a timeout as TaskCanceledException, a 5xx) after its retries, restated
    /// with the endpoint so a stage's failure says which server to look at.
    /// </summary>
    private Exception Unavailable(Exception e) => Endpoint is null ? e
        : new ChatEndpointException($"The chat endpoint {Endpoint} (model {Model}) did not answer after {Attempts} attempt{(Attempts == 1 ? "" : "s")}: " +
                                    (e is OperationCanceledException ? "every attempt timed out" : e.Message), Endpoint, e);

    protected override void Dispose(bool disposing)
    {
        if (disposing) slots.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>An OpenAI-compatible endpoint failed for good (after the configured retries); the message names its address.</summary>
public sealed class ChatEndpointException(string message, Uri endpoint, Exception inner) : Exception(message, inner)
{
    public Uri Endpoint => endpoint;
}
