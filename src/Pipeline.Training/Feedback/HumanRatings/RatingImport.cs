using Pipeline.Configuration;
using Pipeline.Configuration.Feedback;

namespace Pipeline.Training.Feedback.HumanRatings;

/// <summary>
/// Turns people's rankings into the preference dataset the feedback stage writes (same shards, provenance and card), so
/// the reward model and DPO read it as inputs.preferences. all_pairs (the default, as InstructGPT trains its reward model
/// on every pair of a ranking) yields each better-over-worse pair of a ranking; best_vs_worst only the first over the last.
/// </summary>
public static class RatingImport
{
    /// <summary>Writes into a temporary folder beside <paramref name="output"/> and moves it in place: nothing half-written.</summary>
    public static FeedbackCard Write(string output, RatingSheetContents sheet, FeedbackCandidates.Meta meta, FeedbackPairing pairing, string sheetName)
    {
        if (Directory.Exists(output) || File.Exists(output))
            throw new IOException($"'{output}' already exists; choose another --out or delete it first.");
        if (sheet.Rated.Count == 0)
            throw new ArgumentException($"{sheetName}: no prompt is ranked (all {sheet.Skipped} were left empty), so there is no preference pair to write.");
        var rows = new List<PreferenceRow>();
        foreach (var rated in sheet.Rated)
        {
            var texts = rated.Prompt.Replies.ToDictionary(r => r.Id, r => r.Text, StringComparer.Ordinal);
            var k = rated.Ranking.Count;
            // A reply's score is its place from the bottom (k−1 for the best, 0 for the worst).
            IEnumerable<(int Better, int Worse)> pairs = pairing == FeedbackPairing.AllPairs
                ? from i in Enumerable.Range(0, k) from j in Enumerable.Range(i + 1, k - i - 1) select (i, j)
                : [(0, k - 1)];
            rows.AddRange(pairs.Select(p => new PreferenceRow(rated.Prompt.PromptId, rated.Prompt.Prompt, texts[rated.Ranking[p.Better]], texts[rated.Ranking[p.Worse]],
                k - 1 - p.Better, k - 1 - p.Worse)));
        }

        var parent = Path.GetDirectoryName(Path.GetFullPath(output))!;
        Directory.CreateDirectory(parent);
        var temporary = Path.Combine(parent, $".{Path.GetFileName(output)}.partial-{Guid.NewGuid():N}");
        try
        {
            var (train, validation) = FeedbackDataset.Write(temporary, rows, meta.Seed, meta.ValidationFraction,
                new FeedbackProvenance(meta.Generator, FeedbackSettings.HumanJudgeName, $"human rankings from {sheetName}", meta.Temperature, meta.SamplesPerPrompt));
            var card = new FeedbackCard
            {
                Generator = meta.Generator, Judge = FeedbackSettings.HumanJudgeName, SamplesPerPrompt = meta.SamplesPerPrompt,
                Pairing = pairing == FeedbackPairing.AllPairs ? "all_pairs" : "best_vs_worst", MinMargin = 0, Temperature = meta.Temperature,
                Prompts = sheet.Rated.Count, Samples = sheet.Rated.Sum(r => r.Ranking.Count), PromptsWithoutPair = sheet.Skipped,
                TrainPairs = train, ValidationPairs = validation, MeanMargin = rows.Average(r => r.ChosenScore - r.RejectedScore),
            };
            card.Write(temporary);
            Directory.Move(temporary, output);
            return card;
        }
        finally
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        }
    }
}
