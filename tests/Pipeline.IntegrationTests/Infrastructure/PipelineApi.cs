using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Orchestration.Runs;

namespace Pipeline.IntegrationTests.Infrastructure;

/// <summary>The API as a user's HTTP client sees it.</summary>
public sealed class PipelineApi(Uri baseAddress) : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private readonly HttpClient http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };

    public async Task<string> UploadAsync(string path)
    {
        await using var file = File.OpenRead(path);
        var response = await http.PostAsync($"artifacts/imports?fileName={Uri.EscapeDataString(Path.GetFileName(path))}", new StreamContent(file));
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("reference").GetString()!;
    }

    public Task<HttpResponseMessage> SubmitAsync(string yaml) =>
        http.PostAsync("runs", new StringContent(yaml, Encoding.UTF8, "application/yaml"));

    public async Task<Guid> SubmitOkAsync(string yaml)
    {
        var response = await SubmitAsync(yaml);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /runs answered {(int)response.StatusCode}: {body}");
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("runId").GetGuid();
    }

    public async Task<RunRecord?> GetRunAsync(Guid runId)
    {
        var response = await http.GetAsync($"runs/{runId}");
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<RunRecord>(Json);
    }

    public Task<HttpResponseMessage> CancelAsync(Guid runId) => http.PostAsync($"runs/{runId}/cancel", null);

    public Task<HttpResponseMessage> GetAsync(string path) => http.GetAsync(path);

    /// <summary>Polls the run until <paramref name="until"/> holds, collecting every state seen; fails after the timeout with the last state.</summary>
    public async Task<(RunRecord Run, List<RunRecord> Seen)> WaitAsync(Guid runId, Func<RunRecord, bool> until, TimeSpan timeout, Func<string>? diagnostics = null)
    {
        var seen = new List<RunRecord>();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await GetRunAsync(runId) is { } run)
            {
                seen.Add(run);
                if (until(run)) return (run, seen);
            }
            await Task.Delay(100);
        }
        var last = seen.LastOrDefault();
        throw new TimeoutException($"run {runId} did not reach the expected state in {timeout}; last: " +
                                   (last is null ? "(no record)" : JsonSerializer.Serialize(last, Json)) + "\n" + diagnostics?.Invoke());
    }

    public void Dispose() => http.Dispose();
}
