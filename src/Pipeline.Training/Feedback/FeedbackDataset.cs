using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pipeline.Data;
using Pipeline.Training.Datasets;

namespace Pipeline.Training.Feedback;

/// <summary>One preference pair with where it came from.</summary>
public sealed record PreferenceRow(string PromptId, IReadOnlyList<ChatMessage> Prompt, string Chosen, string Rejected, double ChosenScore, double RejectedScore);

/// <summary>Who made the rows: recorded on every provenance line.</summary>
public sealed record FeedbackProvenance(string Generator, string Judge, string JudgeSettings, double? Temperature, int SamplesPerPrompt);

/// <summary>
/// The preference dataset the feedback stage and `pipeline feedback import` write, in the layout the reward model and DPO
/// read: train/validation JSONL shards split by prompt (no prompt's pairs on both sides), and a provenance line per row.
/// </summary>
public static class FeedbackDataset
{
    public const string ProvenanceFile = "provenance.jsonl";

    /// <summary>Writes the shards and the provenance into <paramref name="output"/>; returns the (train, validation) pair counts.</summary>
    public static (int Train, int Validation) Write(string output, IReadOnlyList<PreferenceRow> rows, long seed, double validationFraction, FeedbackProvenance provenance)
    {
        Directory.CreateDirectory(output);
        var indices = Enumerable.Range(0, rows.Count).ToList();
        var validation = indices.Where(i => IsValidation(rows[i].PromptId, seed, validationFraction)).ToList();
        var train = indices.Where(i => !IsValidation(rows[i].PromptId, seed, validationFraction)).ToList();
        WriteShard(Path.Combine(output, $"{DatasetShards.Train}-00000.jsonl"), train);
        WriteShard(Path.Combine(output, $"{DatasetShards.Validation}-00000.jsonl"), validation);
        File.WriteAllLines(Path.Combine(output, ProvenanceFile), rows.Select((r, i) => JsonSerializer.Serialize(new
        {
            id = RowId(r, i), prompt_id = r.PromptId, synthetic = true, generator = provenance.Generator, judge = provenance.Judge,
            judge_settings = provenance.JudgeSettings, chosen_score = r.ChosenScore, rejected_score = r.RejectedScore,
            temperature = provenance.Temperature, samples_per_prompt = provenance.SamplesPerPrompt,
        })));
        return (train.Count, validation.Count);

        void WriteShard(string path, IReadOnlyList<int> split) =>
            File.WriteAllLines(path, split.Select(i => ExampleJson.ToJsonLine(new Example
            {
                Id = RowId(rows[i], i), Messages = [.. rows[i].Prompt],
                Chosen = rows[i].Chosen, Rejected = rows[i].Rejected,
            })));
    }

    private static string RowId(PreferenceRow row, int index) => $"{row.PromptId}-feedback-{index:D6}";

    /// <summary>The prompt's hash decides its side, so the split does not depend on the order prompts were sampled in.</summary>
    private static bool IsValidation(string promptId, long seed, double fraction)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}:{promptId}"));
        return BitConverter.ToUInt64(hash, 0) / (double)ulong.MaxValue < fraction;
    }
}
