using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Pipeline.Orchestration.Runs;

namespace Pipeline.Cli.Commands;

/// <summary>The few calls the CLI makes to the pipeline API; errors come back as the API's own problem text.</summary>
internal sealed class ApiClient(HttpClient http) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static ApiClient Create(string? baseUrl)
    {
        if (string.IsNullOrWhiteSpace(baseUrl))
            throw new CliException("--api is required (or set PIPELINE_API), e.g. --api http://127.0.0.1:5080.");
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new CliException($"--api: '{baseUrl}' is not an http(s) URL.");
        return new ApiClient(new HttpClient { BaseAddress = uri, Timeout = TimeSpan.FromMinutes(30) });
    }

    public sealed record Accepted(Guid RunId, string Name, List<string> Stages);

    private sealed record Imported(string ArtifactId, string FileName, string Reference);

    public async Task<string> UploadAsync(string localPath, CancellationToken ct)
    {
        if (Directory.Exists(localPath))
            throw new CliException($"'{localPath}' is a folder; `submit` uploads files. Import a model folder with `pipeline artifacts import` against the store, then use artifact:<id>.");
        await using var file = File.OpenRead(localPath);
        using var content = new StreamContent(file);
        var response = await http.PostAsync($"artifacts/imports?fileName={Uri.EscapeDataString(Path.GetFileName(localPath))}", content, ct);
        await EnsureSuccessAsync(response, $"uploading {localPath}", ct);
        return (await response.Content.ReadFromJsonAsync<Imported>(Json, ct))!.Reference;
    }

    public async Task<Accepted> SubmitAsync(string yaml, CancellationToken ct)
    {
        var response = await http.PostAsync("runs", new StringContent(yaml, Encoding.UTF8, "application/yaml"), ct);
        await EnsureSuccessAsync(response, "submitting the run", ct);
        return (await response.Content.ReadFromJsonAsync<Accepted>(Json, ct))!;
    }

    public async Task<RunRecord?> GetRunAsync(Guid runId, CancellationToken ct)
    {
        var response = await http.GetAsync($"runs/{runId}", ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        await EnsureSuccessAsync(response, $"reading run {runId}", ct);
        return await response.Content.ReadFromJsonAsync<RunRecord>(Json, ct);
    }

    public async Task CancelAsync(Guid runId, CancellationToken ct) =>
        await EnsureSuccessAsync(await http.PostAsync($"runs/{runId}/cancel", null, ct), $"cancelling run {runId}", ct);

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        var body = await response.Content.ReadAsStringAsync(ct);
        string detail = body;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("detail", out var d)) detail = d.GetString() ?? body;
        }
        catch (JsonException)
        {
        }
        throw new CliException($"{what} failed ({(int)response.StatusCode} {response.ReasonPhrase}): {detail}");
    }

    public void Dispose() => http.Dispose();
}
