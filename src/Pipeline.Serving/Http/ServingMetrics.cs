using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;
using Pipeline.Modeling.Generation;

namespace Pipeline.Serving.Http;

/// <summary>Counters of the server, written as Prometheus text; the hierarchical names map to Prometheus ones here, in one place.</summary>
public sealed class ServingMetrics
{
    private readonly ConcurrentDictionary<string, long> requests = new();
    private readonly ConcurrentDictionary<string, long> errors = new();
    private long promptTokens, completionTokens;

    public void Request(string endpoint) => requests.AddOrUpdate(endpoint, 1, (_, n) => n + 1);
    public void Error(string endpoint) => errors.AddOrUpdate(endpoint, 1, (_, n) => n + 1);

    public void Tokens(UsageDetails? usage)
    {
        Interlocked.Add(ref promptTokens, usage?.InputTokenCount ?? 0);
        Interlocked.Add(ref completionTokens, usage?.OutputTokenCount ?? 0);
    }

    public string Prometheus(SchedulerStatistics scheduler)
    {
        var text = new StringBuilder();
        void Metric(string name, string type, string help, IEnumerable<(string Labels, double Value)> values)
        {
            text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");
            foreach (var (labels, value) in values) text.Append(CultureInfo.InvariantCulture, $"{name}{labels} {value}\n");
        }
        static (string, double) One(double value) => ("", value);
        Metric("serve_requests_total", "counter", "serve/requests: HTTP requests by endpoint.", requests.Select(r => ($"{{endpoint=\"{r.Key}\"}}", (double)r.Value)));
        Metric("serve_errors_total", "counter", "serve/errors: requests answered with an error.", errors.Select(r => ($"{{endpoint=\"{r.Key}\"}}", (double)r.Value)));
        Metric("serve_prompt_tokens_total", "counter", "serve/prompt_tokens: prompt tokens of answered requests.", [One(Interlocked.Read(ref promptTokens))]);
        Metric("serve_completion_tokens_total", "counter", "serve/completion_tokens: tokens generated for answered requests.", [One(Interlocked.Read(ref completionTokens))]);
        Metric("generation_steps_total", "counter", "generation/steps: decode steps of the batch.", [One(scheduler.Steps)]);
        Metric("generation_prefills_total", "counter", "generation/prefills: prompt passes (requests joining the batch).", [One(scheduler.Prefills)]);
        Metric("generation_tokens_total", "counter", "generation/tokens: tokens chosen by the scheduler.", [One(scheduler.TokensGenerated)]);
        Metric("generation_running_rows", "gauge", "generation/running_rows: requests in the batch now.", [One(scheduler.RunningRows)]);
        Metric("generation_waiting_requests", "gauge", "generation/waiting_requests: requests queued for room in the batch.", [One(scheduler.WaitingRequests)]);
        Metric("generation_peak_rows", "gauge", "generation/peak_rows: most requests in the batch at once.", [One(scheduler.PeakRows)]);
        return text.ToString();
    }
}
