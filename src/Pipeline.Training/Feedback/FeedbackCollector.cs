using System.Diagnostics;
using System.Text.Json;
using Pipeline.Configuration;
using Pipeline.Configuration.Feedback;
using Pipeline.Data;
using Pipeline.Modeling.Generation;
using Pipeline.Training.Alignment.Rollouts;
using Pipeline.Training.Checkpoints;
using Pipeline.Training.Feedback.Judges;
using Pipeline.Training.Loop;

namespace Pipeline.Training.Feedback;

/// <summary>
/// Step 2 of RLHF: for each prompt the policy samples k replies, the judge ranks them, and the ranked replies become
/// preference pairs, written as a dataset (train/validation JSONL shards the reward model reads, split by prompt so no
/// prompt's replies are on both sides) with a feedback card and a provenance file (generator, judge, scores per row).
/// With human raters (no judge) the replies are written as candidates for `pipeline feedback export` instead.
/// Batches of prompts are checkpointed; sampling seeds derive from (seed, batch), so a resumed run writes the same bytes.
/// A judge that fails (an endpoint down after its retries) leaves a checkpoint of the finished batches behind.
/// </summary>
public static class FeedbackCollector
{
    public const string ProvenanceFile = FeedbackDataset.ProvenanceFile;
    private const string StateFile = "feedback_state.json";
    private const string RowsFile = "rows.jsonl";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private sealed record State(int NextBatch, int Prompts, int Samples, int PromptsWithoutPair, double ScoreSum, int Finished, long Tokens,
        int Scored = 0, JudgeCounts? Judge = null)
    {
        public JudgeCounts JudgeOrNone => Judge ?? JudgeCounts.None;
    }

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
        var rows = new List<PreferenceRow>();
        var candidates = new List<CandidatePrompt>();
        var state = new State(0, 0, 0, 0, 0, 0, 0);
        if (job.Hooks.ResumeFrom is { } resumeFrom)
        {
            state = TrainingCheckpoint.ReadJson<State>(resumeFrom, StateFile);
            var saved = Path.Combine(resumeFrom, RowsFile);
            if (job.Judge is null) candidates.AddRange(File.ReadLines(saved).Select(FeedbackCandidates.FromJsonLine));
            else rows.AddRange(File.ReadLines(saved).Select(l => JsonSerializer.Deserialize<PreferenceRow>(l, Json)!));
        }

        // 3. sample, judge, pair, batch by batch
        var padId = job.Tokenizer.SpecialTokens.PaddingId;
        var sampler = new RolloutSampler(job.Policy, job.Tokenizer, stops, padId);
        var options = new GenerationOptions { MaxNewTokens = settings.MaxNewTokens, DoSample = true, Temperature = settings.Temperature, TopP = settings.TopP };
        var working = job.Hooks.WorkingDirectory ?? Directory.CreateTempSubdirectory("feedback-").FullName;
        var clock = Stopwatch.StartNew();
        var firstBatch = state.NextBatch;   // this slice's pace, for the remaining-time estimate
        var checkpointed = firstBatch;      // batches the latest checkpoint holds
        for (var b = firstBatch; b < batches.Count; b++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = batches[b];
            var repeated = batch.SelectMany(p => Enumerable.Repeat(p, settings.SamplesPerPrompt)).ToList();
            var rollouts = sampler.Sample(repeated, options, repeated.Count, RolloutSampler.Mix(seed, b));
            var sets = batch.Select((p, i) => new CandidateReplies(p.Messages,
                [.. rollouts.Skip(i * settings.SamplesPerPrompt).Take(settings.SamplesPerPrompt).Select(r => r.CompletionText)])).ToList();
            var withoutPair = 0;
            var (scoreSum, scored, counts) = (0.0, 0, JudgeCounts.None);
            if (job.Judge is null)
            {
                candidates.AddRange(batch.Select((p, i) => FeedbackCandidates.Of(p.Id, p.Messages, sets[i].Replies)));
            }
            else
            {
                JudgedBatch judged;
                try
                {
                    judged = await job.Judge.RankAsync(sets, settings.Pairing, settings.MinMargin, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // Keep what is done: the stage can resume from here once the judge answers again.
                    var kept = b > checkpointed && await SaveAsync(b).ConfigureAwait(false) ? b : checkpointed;
                    throw new FeedbackJudgeException($"The judge '{job.Judge.Description}' failed on batch {b + 1} of {batches.Count}: {e.Message} " +
                        (kept == 0 ? (b == 0 ? "No batch had finished." : "Nothing is kept: this run saves no checkpoints.") : $"The first {kept} finished batches are kept in the stage's checkpoint and a resumed run continues from there."), e);
                }
                for (var p = 0; p < batch.Length; p++)
                {
                    var ranked = judged.Prompts[p];
                    if (ranked.Pairs.Count == 0) withoutPair++;
                    rows.AddRange(ranked.Pairs.Select(pair => new PreferenceRow(batch[p].Id, batch[p].Messages, sets[p].Replies[pair.Chosen], sets[p].Replies[pair.Rejected],
                        ranked.Scores[pair.Chosen], ranked.Scores[pair.Rejected])));
                    scoreSum += ranked.Scores.Where(double.IsFinite).Sum();
                    scored += ranked.Scores.Count(double.IsFinite);
                }
                counts = judged.Counts;
            }
            state = new State(b + 1, state.Prompts + batch.Length, state.Samples + rollouts.Count, state.PromptsWithoutPair + withoutPair,
                state.ScoreSum + scoreSum, state.Finished + rollouts.Count(r => r.Finished), state.Tokens + rollouts.Sum(r => r.Completion.Length),
                state.Scored + scored, state.JudgeOrNone + counts);
            var seconds = clock.Elapsed.TotalSeconds;
            job.Hooks.Progress?.Invoke(new TrainingProgress(b + 1, batches.Count, 0, 0, 0, 0, state.Tokens / Math.Max(seconds, 1e-9),
                TimeSpan.FromSeconds(seconds / (b + 1 - firstBatch) * (batches.Count - b - 1)), ProgressMetrics(state, rows.Count)));

            var last = b + 1 == batches.Count;
            if (!last && (b + 1) % settings.CheckpointEvery == 0 && await SaveAsync(b + 1).ConfigureAwait(false))
            {
                checkpointed = b + 1;
                if (job.Hooks.ShouldYield?.Invoke() == true) return new FeedbackResult(Card(job, settings, state, rows, 0, 0), null);
            }
        }

        // 4. the output: candidates for people to rank, or the dataset split by prompt
        var output = job.OutputDirectory;
        if (job.Judge is null)
        {
            FeedbackCandidates.Write(output, candidates, new FeedbackCandidates.Meta(job.Generator, settings.Temperature, settings.SamplesPerPrompt, seed, settings.ValidationFraction));
            var candidateCard = Card(job, settings, state, rows, 0, 0) with { Candidates = candidates.Sum(c => c.Replies.Count) };
            candidateCard.Write(output);
            return new FeedbackResult(candidateCard, output);
        }
        if (rows.Count == 0)
            throw new ArgumentException($"The judge '{job.Judge.Description}' ranked no reply above another for any of the {state.Prompts} prompts " +
                (state.JudgeOrNone.Calls > 0 ? $"({JudgeSummary(state.JudgeOrNone)}) " : "(it scored every reply the same, or the replies were identical) ") +
                "so no preference pair could be made; sample more replies per prompt (samples_per_prompt), raise temperature, or use another judge.");
        var (train, validation) = FeedbackDataset.Write(output, rows, seed, settings.ValidationFraction,
            new FeedbackProvenance(job.Generator, job.Judge.Name, job.Judge.Description, settings.Temperature, settings.SamplesPerPrompt));
        var card = Card(job, settings, state, rows, train, validation);
        card.Write(output);
        return new FeedbackResult(card, output);

        // A checkpoint holding the first `done` batches; false when the caller keeps none.
        async Task<bool> SaveAsync(int done)
        {
            if (job.Hooks.CheckpointSaved is not { } saved) return false;
            var folder = Path.Combine(working, $"checkpoint-{done:D6}");
            Directory.CreateDirectory(folder);
            File.WriteAllLines(Path.Combine(folder, RowsFile), job.Judge is null
                ? candidates.Select(FeedbackCandidates.ToJsonLine)
                : rows.Select(r => JsonSerializer.Serialize(r, Json)));
            TrainingCheckpoint.WriteJson(Path.Combine(folder, StateFile), state);
            try
            {
                await saved(folder, done).ConfigureAwait(false);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
            return true;
        }
    }

    /// <summary>"N calls, M verdicts unparseable, D position-bias disagreements", for the error when no pair was made.</summary>
    private static string JudgeSummary(JudgeCounts c) =>
        $"{c.Calls} judge calls, {c.ParseFailures} verdicts unparseable after the retries, {c.Agreements} agreeing and {c.Disagreements} disagreeing both-order comparisons, " +
        $"{c.InputTokens} input and {c.OutputTokens} output tokens";

    private static Dictionary<string, double> ProgressMetrics(State state, int pairs)
    {
        var metrics = new Dictionary<string, double> { ["feedback/pairs"] = pairs, ["feedback/mean_score"] = state.Scored == 0 ? double.NaN : state.ScoreSum / state.Scored };
        var judge = state.JudgeOrNone;
        if (judge.Calls == 0) return metrics;
        metrics["judge/calls"] = judge.Calls;
        metrics["judge/parse_failures"] = judge.ParseFailures;
        metrics["judge/position_disagreements"] = judge.Disagreements;
        if (judge.AgreementRate is { } rate) metrics["judge/agreement_rate"] = rate;
        return metrics;
    }

    private static FeedbackCard Card(FeedbackJob job, FeedbackSettings settings, State state, List<PreferenceRow> rows, int train, int validation) => new()
    {
        Generator = job.Generator, Judge = job.Judge?.Description ?? FeedbackSettings.HumanJudgeName, SamplesPerPrompt = settings.SamplesPerPrompt,
        Pairing = ConfigName(settings.Pairing), MinMargin = settings.MinMargin, Temperature = settings.Temperature, Prompts = state.Prompts, Samples = state.Samples,
        PromptsWithoutPair = state.PromptsWithoutPair, TrainPairs = train, ValidationPairs = validation,
        MeanScore = state.Scored == 0 ? 0 : state.ScoreSum / state.Scored,
        MeanMargin = rows.Count == 0 ? 0 : rows.Average(r => r.ChosenScore - r.RejectedScore),
        FinishedShare = state.Samples == 0 ? 0 : (double)state.Finished / state.Samples, TokensGenerated = state.Tokens,
        JudgeCalls = state.JudgeOrNone.Calls, JudgeParseFailures = state.JudgeOrNone.ParseFailures,
        JudgeAgreements = state.JudgeOrNone.Agreements, PositionBiasDisagreements = state.JudgeOrNone.Disagreements,
        JudgeAgreementRate = state.JudgeOrNone.AgreementRate, JudgeInputTokens = state.JudgeOrNone.InputTokens, JudgeOutputTokens = state.JudgeOrNone.OutputTokens,
    };

    private static string ConfigName(FeedbackPairing pairing) => pairing == FeedbackPairing.AllPairs ? "all_pairs" : "best_vs_worst";
}

/// <summary>The judge could not answer (an endpoint down after its retries); the message says what is kept for a resumed run.</summary>
public sealed class FeedbackJudgeException(string message, Exception inner) : Exception(message, inner);
