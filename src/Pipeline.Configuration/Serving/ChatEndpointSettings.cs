using Pipeline.Configuration.Validation;

namespace Pipeline.Configuration.Serving;

/// <summary>
/// An OpenAI-compatible chat endpoint a stage asks (an LLM judge, a self-instruct generator): vLLM, Ollama, llama.cpp's
/// server, a hosted model, or this project's own <c>pipeline serve</c>. One record for every stage that calls a model over
/// HTTP, so the keys read the same everywhere.
/// </summary>
public sealed record ChatEndpointSettings
{
    /// <summary>Base address including the version path, e.g. http://127.0.0.1:8000/v1.</summary>
    [Required(Hint = "the endpoint's base address, e.g. http://127.0.0.1:8000/v1")]
    [Pattern(@"^https?://\S+$", "an http:// or https:// address such as http://127.0.0.1:8000/v1")]
    public string Url { get; init; } = "";

    /// <summary>The model name the endpoint serves (what /v1/models lists).</summary>
    [Required(Hint = "the model name the endpoint serves")]
    public string Model { get; init; } = "";

    /// <summary>
    /// Name of the environment variable holding the API key, default none (local servers need no key). The key itself
    /// never goes in a config file, which is shared and versioned.
    /// </summary>
    [Pattern("^[A-Za-z_][A-Za-z0-9_]*$", "an environment variable name such as OPENAI_API_KEY")]
    public string? ApiKeyEnv { get; init; }

    /// <summary>Seconds allowed per attempt, default 120 (a long completion on a loaded CPU server).</summary>
    [Range(1, 3600)]
    public int TimeoutSeconds { get; init; } = 120;

    /// <summary>Retries after a timeout, 408, 429 or 5xx, with exponential backoff, default 3.</summary>
    [Range(0, 20)]
    public int MaxRetries { get; init; } = 3;

    /// <summary>Requests in flight at once, default 8; more wait their turn rather than overload the server.</summary>
    [Range(1, 1024)]
    public int MaxConcurrency { get; init; } = 8;
}
