using System.Text;
using Pipeline.Data;

namespace Pipeline.Training.Datasets;

/// <summary>
/// Reads a dataset artifact folder as the ingestion stage writes it: JSON Lines shards
/// <c>train-00000.jsonl</c>, <c>validation-00000.jsonl</c>, ... with one <see cref="ExampleJson"/> object per line.
/// </summary>
public static class DatasetShards
{
    public const string Train = "train";
    public const string Validation = "validation";

    /// <summary>Every example of one split, shard by shard in file-name order; an absent split is empty.</summary>
    public static IReadOnlyList<Example> ReadSplit(string directory, string split)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"The dataset folder '{directory}' does not exist.");
        var examples = new List<Example>();
        foreach (var path in Directory.GetFiles(directory, $"{split}-*.jsonl").Order(StringComparer.Ordinal))
        {
            var lineNumber = 0;
            foreach (var line in File.ReadLines(path, Encoding.UTF8))
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line)) continue;
                examples.Add(ExampleJson.Parse(line, new SourceLocation(path, lineNumber)));
            }
        }
        return examples;
    }
}
