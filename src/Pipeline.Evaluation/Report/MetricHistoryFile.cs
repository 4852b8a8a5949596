using System.Text.Json;

namespace Pipeline.Evaluation.Report;

/// <summary>
/// Reads a stage's metric history: one JSON object per line, one line per step, numbers under hierarchical names
/// (objective/kl, rewards/house_style, ...). The step is the "step" field, else the line's position. A metric absent
/// from a line (the judge runs every eval_every steps) simply has no point there.
/// </summary>
public static class MetricHistoryFile
{
    public const string FileName = "metrics.jsonl";

    public static StageHistory Read(string path, string stage, string source)
    {
        var series = new Dictionary<string, List<MetricPoint>>(StringComparer.Ordinal);
        var position = 0;
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            position++;
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) continue;
            var step = root.TryGetProperty("step", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : position;
            foreach (var property in root.EnumerateObject())
            {
                if (property.Name == "step" || property.Value.ValueKind != JsonValueKind.Number) continue;
                var value = property.Value.GetDouble();
                if (!double.IsFinite(value)) continue;
                if (!series.TryGetValue(property.Name, out var points)) series[property.Name] = points = [];
                points.Add(new MetricPoint(step, value));
            }
        }
        return new StageHistory(stage, source, [.. series.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new MetricSeries(kv.Key, kv.Value))]);
    }
}
