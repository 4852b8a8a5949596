using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every service gets, as in Aspire's ServiceDefaults: OpenTelemetry traces and metrics (ASP.NET Core,
/// HTTP, runtime, MassTransit's and the pipeline's own), OTLP export when an endpoint is configured,
/// Prometheus on /metrics, and /health (ready) and /alive (live) in every environment, since Kubernetes
/// probes and Prometheus scrape production pods too.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Meters and activity sources of the pipeline's own code ("Pipeline.Stages", "Pipeline.Training", ...).</summary>
    public const string PipelineTelemetryPrefix = "Pipeline.*";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });
        var telemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("MassTransit")
                .AddMeter(PipelineTelemetryPrefix)
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource("MassTransit")
                .AddSource(PipelineTelemetryPrefix)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsInfrastructurePath(context.Request.Path))
                .AddHttpClientInstrumentation());
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            telemetry.UseOtlpExporter();
        return builder;
    }

    /// <summary>/health: every check passes (ready for traffic). /alive: the "live" checks (restart if not). /metrics: Prometheus.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health");
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") });
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    private static bool IsInfrastructurePath(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/alive") || path.StartsWithSegments("/metrics");
}
