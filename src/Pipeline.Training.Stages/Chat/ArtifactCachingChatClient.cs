using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using Microsoft.Extensions.AI;
using Pipeline.Artifacts;
using Pipeline.Contracts;

namespace Pipeline.Training.Stages.Chat;

/// <summary>
/// Every model call cached in the artifact store, one immutable artifact per call (<c>llm-cache/ab/abcd...</c>, holding
/// <c>call.json</c>: the model, the request and the answer), keyed by the SHA-256 of (model, messages, options). A re-run
/// or a resumed slice asks the cache first, so finished calls cost nothing and give the same answers; the entries are
/// shared by every run on the store. The key is our own canonical JSON, not Microsoft.Extensions.AI's (whose key is not
/// stable across its releases), so an upgrade does not silently empty the cache.
/// </summary>
public sealed class ArtifactCachingChatClient : CachingChatClient
{
    public const string Prefix = "llm-cache";
    public const string FileName = "call.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly IArtifactStore store;
    private readonly string model;
    private readonly ConcurrentDictionary<string, JsonObject> requests = new();
    private long hits, misses;

    /// <param name="model">What answers: an endpoint and its model name, or a model artifact's id (artifacts are immutable).</param>
    public ArtifactCachingChatClient(IChatClient inner, IArtifactStore store, string model) : base(inner)
    {
        this.store = store;
        this.model = model;
    }

    /// <summary>Calls answered from the cache.</summary>
    public long Hits => Interlocked.Read(ref hits);

    /// <summary>Calls sent to the model (and then cached).</summary>
    public long Misses => Interlocked.Read(ref misses);

    /// <summary>The request as the key hashes it: the model, every message's role and text, the options that shape the answer.</summary>
    public static JsonObject Request(string model, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var stop = new JsonArray();
        foreach (var s in options?.StopSequences ?? []) stop.Add(s);
        var list = new JsonArray();
        foreach (var m in messages) list.Add(new JsonObject { ["role"] = m.Role.Value, ["content"] = m.Text });
        return new JsonObject
        {
            ["model"] = model,
            ["messages"] = list,
            ["options"] = new JsonObject
            {
                ["temperature"] = Number(options?.Temperature),
                ["top_p"] = Number(options?.TopP),
                ["top_k"] = options?.TopK,
                ["max_output_tokens"] = options?.MaxOutputTokens,
                ["seed"] = options?.Seed,
                ["stop"] = stop,
            },
        };

        // floats as their shortest round-trip text, so 0.8f hashes the same on every machine
        static string? Number(float? value) => value?.ToString("R", CultureInfo.InvariantCulture);
    }

    public static string Key(JsonObject request) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(request.ToJsonString())));

    public static string ArtifactId(string key) => $"{Prefix}/{key[..2]}/{key}";

    protected override string GetCacheKey(IEnumerable<ChatMessage> messages, ChatOptions? options, params ReadOnlySpan<object?> additionalValues)
    {
        var request = Request(model, messages, options);
        var key = Key(request);
        requests[key] = request;   // WriteCacheAsync gets only the key; keep the request to store beside the answer
        return key;
    }

    protected override async Task<ChatResponse?> ReadCacheAsync(string key, CancellationToken cancellationToken)
    {
        var id = ArtifactId(key);
        if (await store.TryGetManifestAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            Interlocked.Increment(ref misses);
            return null;
        }
        using var document = JsonDocument.Parse(await store.ReadAllTextAsync(id, FileName, cancellationToken).ConfigureAwait(false));
        var answer = document.RootElement.GetProperty("response");
        Interlocked.Increment(ref hits);
        requests.TryRemove(key, out _);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, answer.GetProperty("text").GetString()))
        {
            ModelId = model,
            FinishReason = new ChatFinishReason(answer.GetProperty("finish_reason").GetString() ?? "stop"),
            // What the call cost when it was made; a hit costs nothing (the stage counts spent tokens below the cache).
            Usage = new UsageDetails
            {
                InputTokenCount = answer.GetProperty("input_tokens").GetInt64(),
                OutputTokenCount = answer.GetProperty("output_tokens").GetInt64(),
            },
        };
    }

    protected override async Task WriteCacheAsync(string key, ChatResponse value, CancellationToken cancellationToken)
    {
        requests.TryRemove(key, out var request);
        var entry = new JsonObject
        {
            ["request"] = request,
            ["response"] = new JsonObject
            {
                ["text"] = value.Text,
                ["finish_reason"] = value.FinishReason?.Value ?? "stop",
                ["input_tokens"] = value.Usage?.InputTokenCount ?? 0,
                ["output_tokens"] = value.Usage?.OutputTokenCount ?? 0,
            },
        };
        try
        {
            var writer = await store.CreateAsync(ArtifactId(key), new ArtifactInfo { Kind = ArtifactKind.Cache, ProducerStage = Prefix }, cancellationToken).ConfigureAwait(false);
            await using var writerScope = writer.ConfigureAwait(false);
            await writer.WriteAllTextAsync(FileName, entry.ToJsonString(Indented), cancellationToken).ConfigureAwait(false);
            await writer.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ArtifactAlreadyExistsException)
        {
            // the same call finished elsewhere first (another replica, a concurrent identical request): its answer stands
        }
    }

    protected override async Task<IReadOnlyList<ChatResponseUpdate>?> ReadCacheStreamingAsync(string key, CancellationToken cancellationToken) =>
        await ReadCacheAsync(key, cancellationToken).ConfigureAwait(false) is { } response ? response.ToChatResponseUpdates() : null;

    protected override Task WriteCacheStreamingAsync(string key, IReadOnlyList<ChatResponseUpdate> value, CancellationToken cancellationToken) =>
        WriteCacheAsync(key, value.ToChatResponse(), cancellationToken);
}
