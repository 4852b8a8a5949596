using System.Text.Json;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Grafana;

/// <summary>One query of a panel.</summary>
public sealed record DashboardQuery(string Panel, string RefId, string Expression, string? DatasourceUid);

/// <summary>A Grafana dashboard's JSON model, with the parts the checks read.</summary>
public sealed class Dashboard(JsonElement root, string origin)
{
    public const string Pipeline = "infra/grafana/dashboards/pipeline.json";

    public JsonElement Root { get; } = root;
    public string Origin { get; } = origin;

    public static Dashboard Load(string relative = Pipeline)
    {
        try
        {
            using var document = JsonDocument.Parse(Repository.ReadText(relative), new JsonDocumentOptions { AllowTrailingCommas = false });
            return new Dashboard(document.RootElement.Clone(), relative);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{relative}:{e.LineNumber + 1}: not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Every panel, rows' nested panels included.</summary>
    public IReadOnlyList<JsonElement> Panels =>
        Array(Root, "panels").SelectMany(p => new[] { p }.Concat(Array(p, "panels"))).ToList();

    public IReadOnlyList<JsonElement> Variables =>
        Root.TryGetProperty("templating", out var templating) ? Array(templating, "list") : [];

    public IReadOnlyList<DashboardQuery> Queries =>
        Panels.SelectMany(panel => Array(panel, "targets").Select(target => new DashboardQuery(
            String(panel, "title") ?? $"panel {Int(panel, "id")}", String(target, "refId") ?? "?",
            String(target, "expr") ?? "",
            target.TryGetProperty("datasource", out var ds) ? String(ds, "uid") : null))).ToList();

    public static IReadOnlyList<JsonElement> Array(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().ToList()
            : [];

    public static string? String(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static int? Int(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetInt32()
            : null;
}
