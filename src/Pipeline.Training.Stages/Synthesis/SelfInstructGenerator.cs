using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Pipeline.Configuration;
using Pipeline.Configuration.Synthesis;
using Pipeline.Training.Checkpoints;
using Pipeline.Training.Loop;
using Pipeline.Training.Stages.Chat;

namespace Pipeline.Training.Stages.Synthesis;

/// <summary>What one self-instruct run asks, of whom, and the runtime's hooks (a step is one batch of calls).</summary>
public sealed record SelfInstructJob
{
    public required StageChatClient Generator { get; init; }

    /// <summary>Answers the new messages in inputs_only mode with replies: policy; null otherwise.</summary>
    public StageChatClient? Policy { get; init; }

    public required IReadOnlyList<SeedExample> Seeds { get; init; }
    public TrainingHooks Hooks { get; init; } = new();
}

/// <summary>A parsed example before cleaning: which call wrote it, under which system message, and its texts.</summary>
public sealed record SyntheticCandidate(int Call, int CallSeed, string? System, string Instruction, string? Response);

/// <summary>The counters of a generation so far, carried in checkpoints.</summary>
public sealed record SelfInstructState
{
    public int NextBatch { get; init; }
    public int Calls { get; init; }
    public SortedDictionary<string, int> ParseFailures { get; init; } = new(StringComparer.Ordinal);
    /// <summary>Parsed messages the policy's reply lost (reply_empty, reply_truncated).</summary>
    public SortedDictionary<string, int> ReplyFailures { get; init; } = new(StringComparer.Ordinal);
    /// <summary>Tokens the model calls spent (cache hits spend none).</summary>
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CacheHits { get; init; }
}

/// <summary>The outcome: the candidates in call order and the counters; Finished false when the slice yielded.</summary>
public sealed record SelfInstructResult(IReadOnlyList<SyntheticCandidate> Candidates, SelfInstructState State, bool Finished);

/// <summary>
/// Self-instruct generation in batches of calls: each call shows k seeds (drawn from (seed, call)), the answer is parsed
/// strictly, and in inputs_only/policy mode the policy answers the new message. A checkpoint after every
/// checkpoint_every batches holds the candidates and counters; the calls themselves are cached, so a slice killed between
/// checkpoints replays its finished calls from the cache for free and writes the same candidates.
/// </summary>
public static class SelfInstructGenerator
{
    public const string ReplyEmpty = "reply_empty";
    public const string ReplyTruncated = "reply_truncated";
    private const string StateFile = "synthesis_state.json";
    private const string CandidatesFile = "candidates.jsonl";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static async Task<SelfInstructResult> RunAsync(SelfInstructJob job, SynthesisSettings settings, CancellationToken ct = default)
    {
        if (job.Seeds.Count == 0) throw new ArgumentException("there are no seed examples: no row is a conversation with a user message answered by the assistant.");
        var seed = settings.Seed ?? 0;
        var batches = (settings.NewExamples + settings.BatchSize - 1) / settings.BatchSize;

        // 1. resume: the candidates and counters of the batches already done
        var candidates = new List<SyntheticCandidate>();
        var state = new SelfInstructState();
        if (job.Hooks.ResumeFrom is { } resumeFrom)
        {
            state = TrainingCheckpoint.ReadJson<SelfInstructState>(resumeFrom, StateFile);
            candidates.AddRange(File.ReadLines(Path.Combine(resumeFrom, CandidatesFile)).Select(l => JsonSerializer.Deserialize<SyntheticCandidate>(l, Json)!));
        }
        var restored = state;

        // 2. batches of calls
        var working = job.Hooks.WorkingDirectory ?? Directory.CreateTempSubdirectory("synthesize-").FullName;
        var clock = Stopwatch.StartNew();
        var firstBatch = state.NextBatch;
        for (var b = firstBatch; b < batches; b++)
        {
            ct.ThrowIfCancellationRequested();
            var calls = Enumerable.Range(b * settings.BatchSize, Math.Min(settings.BatchSize, settings.NewExamples - b * settings.BatchSize)).ToList();
            var answers = await Task.WhenAll(calls.Select(call => GenerateAsync(job, settings, seed, call, ct))).ConfigureAwait(false);
            var parseFailures = new SortedDictionary<string, int>(state.ParseFailures, StringComparer.Ordinal);
            var replyFailures = new SortedDictionary<string, int>(state.ReplyFailures, StringComparer.Ordinal);
            foreach (var answer in answers)
            {
                if (answer.Failure is { } failure) Count(parseFailures, failure);
                else if (answer.ReplyFailure is { } lost) Count(replyFailures, lost);
                else candidates.Add(answer.Candidate!);
            }
            // Spent = what earlier slices spent + what this slice's calls spent (the meters count cache misses only).
            state = state with
            {
                NextBatch = b + 1, Calls = state.Calls + calls.Count, ParseFailures = parseFailures, ReplyFailures = replyFailures,
                InputTokens = restored.InputTokens + Spent(job, u => u.InputTokens), OutputTokens = restored.OutputTokens + Spent(job, u => u.OutputTokens),
                CacheHits = restored.CacheHits + Spent(job, _ => 0, c => c.CacheHits),
            };
            var seconds = clock.Elapsed.TotalSeconds;
            job.Hooks.Progress?.Invoke(new TrainingProgress(b + 1, batches, 0, 0, 0, 0, state.OutputTokens / Math.Max(seconds, 1e-9),
                TimeSpan.FromSeconds(seconds / (b + 1 - firstBatch) * (batches - b - 1)),
                new Dictionary<string, double>
                {
                    ["synthesize/candidates"] = candidates.Count, ["synthesize/parse_failures"] = parseFailures.Values.Sum(),
                    ["synthesize/cache_hits"] = state.CacheHits,
                }));

            var last = b + 1 == batches;
            if (!last && (b + 1) % settings.CheckpointEvery == 0 && job.Hooks.CheckpointSaved is { } saved)
            {
                var folder = Path.Combine(working, $"checkpoint-{b + 1:D6}");
                Directory.CreateDirectory(folder);
                File.WriteAllLines(Path.Combine(folder, CandidatesFile), candidates.Select(c => JsonSerializer.Serialize(c, Json)));
                TrainingCheckpoint.WriteJson(Path.Combine(folder, StateFile), state);
                try
                {
                    await saved(folder, b + 1).ConfigureAwait(false);
                }
                finally
                {
                    Directory.Delete(folder, recursive: true);
                }
                if (job.Hooks.ShouldYield?.Invoke() == true) return new SelfInstructResult(candidates, state, Finished: false);
            }
        }
        return new SelfInstructResult(candidates, state, Finished: true);
    }

    /// <summary>A figure summed over the generator and the policy (once when they are the same client).</summary>
    private static long Spent(SelfInstructJob job, Func<Pipeline.Serving.Endpoints.ChatUsageMeter, long> usage, Func<StageChatClient, long>? other = null)
    {
        long Of(StageChatClient c) => usage(c.Usage) + (other?.Invoke(c) ?? 0);
        return Of(job.Generator) + (job.Policy is { } policy && !ReferenceEquals(policy, job.Generator) ? Of(policy) : 0);
    }

    private static void Count(SortedDictionary<string, int> counts, string reason) => counts[reason] = counts.GetValueOrDefault(reason) + 1;

    private sealed record Answer(SyntheticCandidate? Candidate, string? Failure, string? ReplyFailure);

    /// <summary>One call: k seeds, the request, the strict parse; then, in inputs_only/policy mode, the policy's greedy reply.</summary>
    private static async Task<Answer> GenerateAsync(SelfInstructJob job, SynthesisSettings settings, long seed, int call, CancellationToken ct)
    {
        var callSeed = SelfInstructPrompt.CallSeed(seed, call);
        var shown = SelfInstructPrompt.Choose(job.Seeds, settings.ExamplesPerPrompt, seed, call);
        var options = new ChatOptions
        {
            Temperature = (float)settings.Temperature, TopP = (float)settings.TopP, MaxOutputTokens = settings.MaxNewTokens, Seed = callSeed,
        };
        var response = await job.Generator.AskAsync(SelfInstructPrompt.Build(shown, settings.Mode), options, ct).ConfigureAwait(false);
        var parsed = SelfInstructParser.Parse(response.Text, response.FinishReason == ChatFinishReason.Length, settings.Mode);
        if (parsed.Example is not { } example) return new Answer(null, parsed.Failure, null);
        var system = shown[0].System;
        var reply = example.Response;
        if (settings.Mode == SynthesisMode.InputsOnly && job.Policy is { } policy)
        {
            List<ChatMessage> messages = system is null ? [] : [new ChatMessage(ChatRole.System, system)];
            messages.Add(new ChatMessage(ChatRole.User, example.Instruction));
            // Greedy: the policy's own best answer, the same in every run.
            var answer = await policy.AskAsync(messages, new ChatOptions { Temperature = 0, MaxOutputTokens = settings.MaxNewTokens }, ct).ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(answer.Text)) return new Answer(null, null, ReplyEmpty);
            if (answer.FinishReason == ChatFinishReason.Length) return new Answer(null, null, ReplyTruncated);
            reply = answer.Text.Trim();
        }
        return new Answer(new SyntheticCandidate(call, callSeed, system, example.Instruction, reply), null, null);
    }

    /// <summary>The settings a synthetic row records as its provenance.</summary>
    public static IReadOnlyDictionary<string, string> ProvenanceSettings(SynthesisSettings settings, SyntheticCandidate candidate, string? repliesBy) => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["mode"] = settings.Mode == SynthesisMode.Full ? "full" : "inputs_only",
        ["replies_by"] = repliesBy ?? (settings.Mode == SynthesisMode.Full ? "generator" : "review"),
        ["temperature"] = settings.Temperature.ToString("R", CultureInfo.InvariantCulture),
        ["top_p"] = settings.TopP.ToString("R", CultureInfo.InvariantCulture),
        ["max_new_tokens"] = settings.MaxNewTokens.ToString(CultureInfo.InvariantCulture),
        ["examples_per_prompt"] = settings.ExamplesPerPrompt.ToString(CultureInfo.InvariantCulture),
        ["call"] = candidate.Call.ToString(CultureInfo.InvariantCulture),
        ["seed"] = candidate.CallSeed.ToString(CultureInfo.InvariantCulture),
    };
}
