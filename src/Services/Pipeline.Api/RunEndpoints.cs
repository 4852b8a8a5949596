using MassTransit;
using Pipeline.Contracts;
using Pipeline.Orchestration.Runs;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Api;

/// <summary>POST /runs, GET /runs, GET /runs/{id}, POST /runs/{id}/cancel.</summary>
public static class RunEndpoints
{
    public static IEndpointRouteBuilder MapRunEndpoints(this IEndpointRouteBuilder app)
    {
        var runs = app.MapGroup("/runs").WithTags("Runs");
        runs.MapPost("/", SubmitAsync)
            .Accepts<string>("application/yaml", "text/plain")
            .Produces<RunAccepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Validate a run config (YAML body) and start the run.");
        runs.MapGet("/", ListAsync).WithSummary("All runs, newest first.");
        runs.MapGet("/{runId:guid}", GetAsync).WithSummary("A run's state, with status and progress per stage.");
        runs.MapPost("/{runId:guid}/cancel", CancelAsync).WithSummary("Cancel a run; its running stage stops at the next safe point.");
        return app;
    }

    public sealed record RunAccepted(Guid RunId, string Name, IReadOnlyList<string> Stages, string Status);

    /// <summary>
    /// Stages this deployment refuses although the build has them (<c>Pipeline:Stages:Disabled</c>, comma-separated): a
    /// cluster that runs no service for a stage (no GPU nodes for the trainers, no synthesis service) says so at submit
    /// time instead of leaving a run waiting for a worker that never comes.
    /// </summary>
    public const string DisabledStagesKey = "Pipeline:Stages:Disabled";

    private static async Task<IResult> SubmitAsync(HttpRequest request, IPublishEndpoint publish, IConfiguration configuration, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body);
        var yaml = await reader.ReadToEndAsync(ct);
        RunPlan plan;
        try
        {
            plan = RunPlanner.Plan(yaml, "request body");
        }
        catch (RunPlanException ex)
        {
            return Results.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid run config");
        }
        var disabled = (configuration[DisabledStagesKey] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var available = StageCatalog.ImplementedInThisBuild.Where(s => !disabled.Contains(s)).ToList();
        var unavailable = plan.Stages.Where(s => !available.Contains(s)).ToList();
        if (unavailable.Count > 0)
            return Results.Problem(
                $"stage{(unavailable.Count > 1 ? "s" : "")} {string.Join(", ", unavailable.Select(s => $"'{s}'"))} " +
                $"{(unavailable.Count > 1 ? "are" : "is")} not available in this " +
                (unavailable.All(StageCatalog.ImplementedInThisBuild.Contains) ? $"deployment ({DisabledStagesKey})" : "build") +
                $". Available: {string.Join(", ", available)}.",
                statusCode: StatusCodes.Status400BadRequest, title: "Stage not available");

        var runId = NewId.NextGuid();
        await publish.Publish(new StartPipelineRun { RunId = runId, ConfigYaml = yaml }, ct);
        return Results.Accepted($"/runs/{runId}", new RunAccepted(runId, plan.Name, plan.Stages, "submitted"));
    }

    private static async Task<IResult> ListAsync(PipelineStateStore state, CancellationToken ct)
    {
        var runs = new List<RunRecord>();
        await foreach (var run in state.Runs.ListAsync(ct)) runs.Add(run);
        return Results.Ok(runs.OrderByDescending(r => r.CreatedAt).Select(RunSummary.From));
    }

    private static async Task<IResult> GetAsync(Guid runId, PipelineStateStore state, CancellationToken ct)
    {
        var (run, _) = await state.Runs.GetAsync(runId.ToString("N"), ct);
        return run is null ? Results.Problem($"There is no run {runId}.", statusCode: StatusCodes.Status404NotFound) : Results.Ok(run);
    }

    private static async Task<IResult> CancelAsync(Guid runId, PipelineStateStore state, IPublishEndpoint publish, CancellationToken ct)
    {
        var (run, _) = await state.Runs.GetAsync(runId.ToString("N"), ct);
        if (run is null) return Results.Problem($"There is no run {runId}.", statusCode: StatusCodes.Status404NotFound);
        if (run.State != RunState.Running)
            return Results.Problem($"Run {runId} is already {run.State.ToString().ToLowerInvariant()}.", statusCode: StatusCodes.Status409Conflict);
        await publish.Publish(new CancelPipelineRun { RunId = runId }, ct);
        return Results.Accepted($"/runs/{runId}");
    }
}

/// <summary>One line of GET /runs.</summary>
public sealed record RunSummary(Guid RunId, string Name, RunState State, string? CurrentStage, double CurrentFraction, DateTimeOffset CreatedAt)
{
    public static RunSummary From(RunRecord r) => new(r.RunId, r.Name, r.State, r.Current?.Stage, r.Current?.Fraction ?? 0, r.CreatedAt);
}
