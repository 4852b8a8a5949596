using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Data;

namespace Pipeline.Training.Feedback;

/// <summary>A sampled reply with the id a rater refers to it by.</summary>
public sealed record CandidateReply([property: JsonPropertyName("id")] string Id, [property: JsonPropertyName("text")] string Text);

/// <summary>One prompt and its distinct sampled replies, for people to rank.</summary>
public sealed record CandidatePrompt(
    [property: JsonPropertyName("prompt_id")] string PromptId,
    [property: JsonPropertyName("messages")] IReadOnlyList<CandidateMessage> Messages,
    [property: JsonPropertyName("replies")] IReadOnlyList<CandidateReply> Replies)
{
    public IReadOnlyList<ChatMessage> Prompt => [.. Messages.Select(m => new ChatMessage(m.Role, m.Content))];
}

public sealed record CandidateMessage([property: JsonPropertyName("role")] string Role, [property: JsonPropertyName("content")] string Content);

/// <summary>
/// The feedback stage's output with <c>judge: human</c>: candidates.jsonl (a line per prompt with its replies and their ids)
/// and a meta file (generator, sampling settings), from which `pipeline feedback export` makes the rating sheet and
/// `pipeline feedback import` checks the ratings and writes the preference dataset.
/// </summary>
public static class FeedbackCandidates
{
    public const string File = "candidates.jsonl";
    public const string MetaFile = "candidates_meta.json";

    /// <summary>What the candidates were sampled with, carried into the provenance of the imported pairs.</summary>
    public sealed record Meta(
        [property: JsonPropertyName("generator")] string Generator,
        [property: JsonPropertyName("temperature")] double Temperature,
        [property: JsonPropertyName("samples_per_prompt")] int SamplesPerPrompt,
        [property: JsonPropertyName("seed")] long Seed,
        [property: JsonPropertyName("validation_fraction")] double ValidationFraction);

    /// <summary>Distinct replies only (identical texts cannot be ranked apart), ids "PROMPT_ID-rN" by sample position.</summary>
    public static CandidatePrompt Of(string promptId, IReadOnlyList<ChatMessage> prompt, IReadOnlyList<string> replies) => new(
        promptId, [.. prompt.Select(m => new CandidateMessage(m.Role, m.Content))],
        [.. replies.Select((text, i) => (text, i)).DistinctBy(r => r.text, StringComparer.Ordinal).Select(r => new CandidateReply($"{promptId}-r{r.i}", r.text))]);

    public static string ToJsonLine(CandidatePrompt prompt) => JsonSerializer.Serialize(prompt);

    public static CandidatePrompt FromJsonLine(string line) => JsonSerializer.Deserialize<CandidatePrompt>(line)!;

    public static void Write(string directory, IReadOnlyList<CandidatePrompt> prompts, Meta meta)
    {
        Directory.CreateDirectory(directory);
        System.IO.File.WriteAllLines(Path.Combine(directory, File), prompts.Select(ToJsonLine));
        System.IO.File.WriteAllText(Path.Combine(directory, MetaFile), JsonSerializer.Serialize(meta));
    }

    /// <summary>Reads a candidates folder; a folder without candidates.jsonl is named in the error.</summary>
    public static (IReadOnlyList<CandidatePrompt> Prompts, Meta Meta) Read(string directory)
    {
        var path = Path.Combine(directory, File);
        if (!System.IO.File.Exists(path))
            throw new FileNotFoundException($"'{directory}' holds no {File}: it is not the candidates of a feedback stage with judge: human.");
        var prompts = System.IO.File.ReadLines(path).Where(l => l.Length > 0).Select(FromJsonLine).ToList();
        var meta = JsonSerializer.Deserialize<Meta>(System.IO.File.ReadAllText(Path.Combine(directory, MetaFile)))!;
        return (prompts, meta);
    }
}
