using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pipeline.Configuration;
using Pipeline.Data;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Modeling.Generation;
using Pipeline.Training.Alignment.Rewards;
using Pipeline.Training.Alignment.Rollouts;
using Pipeline.Training.Checkpoints;
using Pipeline.Training.Datasets;
using Pipeline.Training.Loop;

namespace Pipeline.Training.Feedback;

/// <summary>
/// Step 2 of RLHF: for each prompt the policy samples k replies, the judge scores them, and the ranked replies become
/// preference pairs, written as a dataset (train/validation JSONL shards the reward model reads, split by prompt so no
/// prompt's replies are on both sides) with a feedback card and a provenance file (generator, judge, scores per row).
/// Batches of prompts are checkpointed; sampling seeds derive from (seed, batch), so a resumed run writes the same bytes.
/// </summary>
public static class FeedbackCollector
{
    public const string ProvenanceFile = "provenance.jsonl";
    private const string StateFile = "feedback_state.json";
    private const string RowsFile = "rows.jsonl";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>One kept pair with where it came from.</summary>
    private sealed record PairRow(string PromptId, IReadOnlyList<ChatMessage> Prompt, string Chosen, string Rejected,
        double ChosenScore, double RejectedScore);

    private sealed record State(int NextBatch, int Prompts, int Samples, int PromptsWithoutPair, double ScoreSum, int Finished, long Tokens);

    public static async Task<FeedbackResult> CollectAsync(FeedbackJob job, FeedbackSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var seed = settings.Seed ?? 0;

        // 1. prompts, checked before any sampling
        var stops = RolloutSampler.StopTokens(job.Tokenizer, job.ChatTemplate.EndOfTurnToken);
        if (stops.Count == 0)
            throw new ArgumentException($"The policy's tokenizer has no end-of-sequence token, so no reply could end before max_new_tokens; set eos_token in tokenizer_config.json.");
        var all = AlignmentPrompts.From(job.Prompts, job.Tokenizer, job.ChatTemplate, settings.MaxPromptLength);
        if (all.Count == 0)
            throw new ArgumentException($"None of the {job.Prompts.Count} rows has a prompt ending in a user turn to sample replies for.");
        var order = DataOrder.Permutation(seed, 0, all.Count);
        var prompts = order.Take(settings.MaxPrompts > 0 ? Math.Min(settings.MaxPrompts, all.Count) : all.Count).Select(i => all[i]).ToList();
        var batches = prompts.Chunk(settings.BatchSize).ToList();

        // 2. resume: the rows and counters of the batches already done
        var rows = new List<PairRow>();
        var state = new State(0, 0, 0, 0, 0, 0, 0);
        if (job.Hooks.ResumeFrom is { } resumeFrom)
        {
            state = TrainingCheckpoint.ReadJson<State>(resumeFrom, StateFile);
            rows.AddRange(File.ReadLines(Path.Combine(resumeFrom, RowsFile)).Select(l => JsonSerializer.Deserialize<PairRow>(l, Json)!));
        }

        // 3. sample, judge, pair, batch by batch
        var padId = job.Tokenizer.SpecialTokens.PaddingId;
        var sampler = new RolloutSampler(job.Policy, job.Tokenizer, stops, padId);
        var options = new GenerationOptions { MaxNewTokens = settings.MaxNewTokens, DoSample = true, Temperature = settings.Temperature, TopP = settings.TopP };
        var working = job.Hooks.WorkingDirectory ?? Directory.CreateTempSubdirectory("feedback-").FullName;
        var clock = Stopwatch.StartNew();
        var firstBatch = state.NextBatch;   // this slice's pace, for the remaining-time estimate
        for (var b = firstBatch; b < batches.Count; b++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = batches[b];
            var repeated = batch.SelectMany(p => Enumerable.Repeat(p, settings.SamplesPerPrompt)).ToList();
            var rollouts = sampler.Sample(repeated, options, repeated.Count, RolloutSampler.Mix(seed, b));
            var scores = job.Judge.Score([.. rollouts.Select(r => new RewardQuery(r.Prompt.Messages, r.CompletionText))]);
            var withoutPair = 0;
            for (var p = 0; p < batch.Length; p++)
            {
                var offset = p * settings.SamplesPerPrompt;
                var texts = rollouts.Skip(offset).Take(settings.SamplesPerPrompt).Select(r => r.CompletionText).ToList();
                var judged = scores.Skip(offset).Take(settings.SamplesPerPrompt).ToList();
                var pairs = FeedbackPairs.Select(judged, texts, settings.Pairing, settings.MinMargin);
                if (pairs.Count == 0) withoutPair++;
                rows.AddRange(pairs.Select(pair => new PairRow(batch[p].Id, batch[p].Messages, texts[pair.Chosen], texts[pair.Rejected], judged[pair.Chosen], judged[pair.Rejected])));
            }
            state = new State(b + 1, state.Prompts + batch.Length, state.Samples + rollouts.Count, state.PromptsWithoutPair + withoutPair,
                state.ScoreSum + scores.Where(double.IsFinite).Sum(), state.Finished + rollouts.Count(r => r.Finished), state.Tokens + rollouts.Sum(r => r.Completion.Length));
            var seconds = clock.Elapsed.TotalSeconds;
            job.Hooks.Progress?.Invoke(new TrainingProgress(b + 1, batches.Count, 0, 0, 0, 0, state.Tokens / Math.Max(seconds, 1e-9),
                TimeSpan.FromSeconds(seconds / (b + 1 - firstBatch) * (batches.Count - b - 1)),
                new Dictionary<string, double> { ["feedback/pairs"] = rows.Count, ["feedback/mean_score"] = state.ScoreSum / state.Samples }));

            var last = b + 1 == batches.Count;
            if (!last && (b + 1) % settings.CheckpointEvery == 0 && job.Hooks.CheckpointSaved is { } saved)
            {
                var folder = Path.Combine(working, $"checkpoint-{b + 1:D6}");
                Directory.CreateDirectory(folder);
                File.WriteAllLines(Path.Combine(folder, RowsFile), rows.Select(r => JsonSerializer.Serialize(r, Json)));
                TrainingCheckpoint.WriteJson(Path.Combine(folder, StateFile), state);
                try
                {
                    await saved(folder, b + 1).ConfigureAwait(false);
                }
                finally
                {
                    Directory.Delete(folder, recursive: true);
                }
                if (job.Hooks.ShouldYield?.Invoke() == true) return new FeedbackResult(Card(job, settings, state, rows, 0, 0), null);
            }
        }

        // 4. the dataset: split by prompt, so a prompt's pairs are all on one side
        if (rows.Count == 0)
            throw new ArgumentException($"The judge '{job.Judge.Name}' scored every reply of all {state.Prompts} prompts the same (or the replies were identical), " +
                "so no preference pair could be made; sample more replies per prompt (samples_per_prompt), raise temperature, or use another judge.");
        var output = job.OutputDirectory;
        Directory.CreateDirectory(output);
        var indices = Enumerable.Range(0, rows.Count).ToList();
        var validation = indices.Where(i => IsValidation(rows[i].PromptId, seed, settings.ValidationFraction)).ToList();
        var train = indices.Where(i => !IsValidation(rows[i].PromptId, seed, settings.ValidationFraction)).ToList();
        WriteShard(Path.Combine(output, $"{DatasetShards.Train}-00000.jsonl"), train);
        WriteShard(Path.Combine(output, $"{DatasetShards.Validation}-00000.jsonl"), validation);
        File.WriteAllLines(Path.Combine(output, ProvenanceFile), rows.Select((r, i) => JsonSerializer.Serialize(new
        {
            id = RowId(r, i), prompt_id = r.PromptId, synthetic = true, generator = job.Generator, judge = job.Judge.Name,
            chosen_score = r.ChosenScore, rejected_score = r.RejectedScore, temperature = settings.Temperature, samples_per_prompt = settings.SamplesPerPrompt,
        })));
        var card = Card(job, settings, state, rows, train.Count, validation.Count);
        card.Write(output);
        return new FeedbackResult(card, output);

        void WriteShard(string path, IReadOnlyList<int> split) =>
            File.WriteAllLines(path, split.Select(i => ExampleJson.ToJsonLine(new Example
            {
                Id = RowId(rows[i], i), Messages = [.. rows[i].Prompt], Chosen = rows[i].Chosen, Rejected = rows[i].Rejected,
            })));
    }

    private static string RowId(PairRow row, int index) => $"{row.PromptId}-feedback-{index:D6}";

    /// <summary>The prompt's hash decides its side, so the split does not depend on the order prompts were sampled in.</summary>
    private static bool IsValidation(string promptId, long seed, double fraction)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}:{promptId}"));
        return BitConverter.ToUInt64(hash, 0) / (double)ulong.MaxValue < fraction;
    }

    private static FeedbackCard Card(FeedbackJob job, FeedbackSettings settings, State state, List<PairRow> rows, int train, int validation) => new()
    {
        Generator = job.Generator, Judge = job.Judge.Name, SamplesPerPrompt = settings.SamplesPerPrompt, Pairing = ConfigName(settings.Pairing),
        MinMargin = settings.MinMargin, Temperature = settings.Temperature, Prompts = state.Prompts, Samples = state.Samples,
        PromptsWithoutPair = state.PromptsWithoutPair, TrainPairs = train, ValidationPairs = validation,
        MeanScore = state.Samples == 0 ? 0 : state.ScoreSum / state.Samples,
        MeanMargin = rows.Count == 0 ? 0 : rows.Average(r => r.ChosenScore - r.RejectedScore),
        FinishedShare = state.Samples == 0 ? 0 : (double)state.Finished / state.Samples, TokensGenerated = state.Tokens,
    };

    private static string ConfigName(FeedbackPairing pairing) => pairing == FeedbackPairing.AllPairs ? "all_pairs" : "best_vs_worst";
}
