using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Grafana;

/// <summary>
/// Every dashboard type-checks against Grafana's own schema (npm @grafana/schema, the Dashboard type) with TypeScript:
/// each JSON file becomes an object literal that must satisfy the type, so an unknown or misplaced field, a wrong type
/// or a value outside an enum is a compile error naming the file and line. infra/local/deps.sh install puts tsc and the
/// schema in .infra/grafana-schema.
/// </summary>
public sealed class DashboardSchemaTests
{
    private static string SchemaDirectory =>
        Path.Combine(Environment.GetEnvironmentVariable("PIPELINE_INFRA_DIR") is { Length: > 0 } infra ? infra : Repository.PathOf(".infra"), "grafana-schema");

    private static string Tsc
    {
        get
        {
            var tsc = Path.Combine(SchemaDirectory, "node_modules", ".bin", "tsc");
            if (!File.Exists(tsc) || !Directory.Exists(Path.Combine(SchemaDirectory, "node_modules", "@grafana", "schema")))
                throw new InvalidOperationException(
                    $"TypeScript and @grafana/schema are not installed in {SchemaDirectory}: run `infra/local/deps.sh install` (npm typescript@5.9 @grafana/schema@13.2.3).");
            return tsc;
        }
    }

    /// <summary>JSON holds an enum's value, not the enum: the schema's enums are compared as their string values.</summary>
    private const string Preamble = """
        import type { Dashboard } from '@grafana/schema';
        type Json<T> = T extends string ? `${T}` : T extends number | boolean | null | undefined ? T
          : T extends Array<infer U> ? Array<Json<U>> : T extends object ? { [K in keyof T]: Json<T[K]> } : T;

        """;

    /// <summary>tsc's verdict on the given dashboards (name → JSON text): null when they all type-check, else its output.</summary>
    private static string? TypeCheck(IReadOnlyDictionary<string, string> dashboards)
    {
        var folder = Path.Combine(SchemaDirectory, $"check-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            foreach (var (name, json) in dashboards)
                File.WriteAllText(Path.Combine(folder, name + ".ts"), Preamble + $"export const dashboard = ({json}) satisfies Json<Dashboard>;\n");
            File.WriteAllText(Path.Combine(folder, "tsconfig.json"),
                """{ "compilerOptions": { "strict": true, "noEmit": true, "module": "esnext", "moduleResolution": "bundler", "target": "es2022", "skipLibCheck": true, "types": [] }, "include": ["*.ts"] }""");
            var run = ExternalTool.Run(Tsc, ["-p", Path.Combine(folder, "tsconfig.json")], folder);
            return run.Succeeded ? null : run.StandardOutput + run.StandardError;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Every_dashboard_satisfies_the_Dashboard_type_of_grafana_schema()
    {
        var files = DashboardSetTests.Paths();
        Assert.NotEmpty(files);
        var verdict = TypeCheck(files.ToDictionary(f => Path.GetFileNameWithoutExtension(f), f => Repository.ReadText(f)));
        Assert.True(verdict is null, $"tsc rejects dashboards under {DashboardSetTests.Folder} (file NAME.ts line L is the JSON's line L - 4):\n{verdict}");
    }

    [Fact]
    public void A_misspelt_field_and_an_unknown_enum_value_are_rejected()
    {
        var verdict = TypeCheck(new Dictionary<string, string>
        {
            ["misspelt"] = """{ "title": "x", "schemaVersion": 39, "panels": [ { "type": "timeseries", "titel": "typo", "gridPos": { "h": 8, "w": 12, "x": 0, "y": 0 } } ] }""",
            ["enum"] = """{ "title": "x", "schemaVersion": 39, "graphTooltip": 1, "templating": { "list": [ { "type": "dropdown", "name": "v" } ] } }""",
        });
        Assert.NotNull(verdict);
        Assert.Contains("misspelt.ts", verdict);
        Assert.Contains("enum.ts", verdict);
    }
}
