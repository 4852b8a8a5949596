using Microsoft.Extensions.AI;
using Pipeline.Configuration;
using Pipeline.Serving.Endpoints;

namespace Pipeline.Training.Stages;

/// <summary>The one place a stage's <see cref="ChatEndpointSettings"/> become an <see cref="IChatClient"/>.</summary>
public static class StageChatClients
{
    /// <summary>
    /// A client for the endpoint, with its timeout, retries, concurrency limit and token accounting; the API key is read
    /// from the environment variable the settings name (never from the config). <paramref name="key"/> names the settings
    /// in errors, e.g. stages.feedback.llm_judge.endpoint.
    /// </summary>
    public static ResilientChatClient Create(ChatEndpointSettings settings, string key, ChatUsageMeter? usage = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!Uri.TryCreate(settings.Url.EndsWith('/') ? settings.Url : settings.Url + "/", UriKind.Absolute, out var endpoint))
            throw new ArgumentException($"{key}.url: '{settings.Url}' is not an address; write one such as http://127.0.0.1:8000/v1");
        string? apiKey = null;
        if (settings.ApiKeyEnv is { } variable)
            apiKey = Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value
                : throw new ArgumentException($"{key}.api_key_env: the environment variable {variable} is not set; export it with the endpoint's API key");
        return OpenAiEndpoint.CreateChatClient(new OpenAiEndpointOptions
        {
            Endpoint = endpoint, Model = settings.Model, ApiKey = apiKey, Timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds),
            MaxRetries = settings.MaxRetries, MaxConcurrency = settings.MaxConcurrency,
        }, usage);
    }
}
