using Pipeline.Artifacts;
using Pipeline.Orchestration.Runs;

namespace Pipeline.Api;

/// <summary>Uploads of run inputs, and read-only browsing of artifacts.</summary>
public static class ArtifactEndpoints
{
    public static IEndpointRouteBuilder MapArtifactEndpoints(this IEndpointRouteBuilder app)
    {
        var artifacts = app.MapGroup("/artifacts").WithTags("Artifacts");
        artifacts.MapPost("/imports", ImportAsync)
            .WithSummary("Upload one input file (streamed) as an import artifact; returns the reference to put in a run config.");
        artifacts.MapGet("/", ListAsync).WithSummary("Committed artifacts, optionally under a prefix.");
        artifacts.MapGet("/manifest/{**id}", GetAsync).WithSummary("An artifact's manifest.");
        return app;
    }

    public sealed record ImportedFile(string ArtifactId, string FileName, string Reference);

    private static async Task<IResult> ImportAsync(HttpRequest request, string fileName, IArtifactStore store, CancellationToken ct)
    {
        try
        {
            var imported = await InputImporter.ImportStreamAsync(store, request.Body, fileName, ct);
            return Results.Ok(new ImportedFile(imported.ArtifactId, imported.FileName, imported.Reference));
        }
        catch (InvalidArtifactKeyException ex)
        {
            return Results.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest);
        }
    }

    private static async Task<IResult> ListAsync(IArtifactStore store, string? prefix, CancellationToken ct)
    {
        var list = new List<ArtifactManifest>();
        await foreach (var manifest in store.ListAsync(prefix, ct)) list.Add(manifest);
        return Results.Ok(list);
    }

    private static async Task<IResult> GetAsync(string id, IArtifactStore store, CancellationToken ct)
    {
        var manifest = await store.TryGetManifestAsync(id, ct);
        return manifest is null ? Results.Problem($"There is no artifact '{id}'.", statusCode: StatusCodes.Status404NotFound) : Results.Ok(manifest);
    }
}
