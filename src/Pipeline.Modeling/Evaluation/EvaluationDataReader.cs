using System.Text.Json;
using Pipeline.Data;
using Pipeline.Tokenizers;
using Pipeline.Tokenizers.ChatTemplates;

namespace Pipeline.Modeling.Evaluation;

/// <summary>A file read for evaluation: its documents, tokenized, and which shape it had.</summary>
/// <param name="Format">"text" (a .txt file as one document), "jsonl/messages", "jsonl/text" or "jsonl/mixed".</param>
public sealed record EvaluationData(IReadOnlyList<ScoredSequence> Sequences, string Format);

/// <summary>
/// Reads the files <c>model perplexity</c> accepts:
/// <list type="bullet">
/// <item>.jsonl: one object per line, either the dataset shape <c>{"messages":[{"role","content"}...]}</c> (rendered with
/// the chat template, as SFT sees it; a preference pair's <c>chosen</c> reply is appended as the assistant turn) or
/// <c>{"text": ...}</c> (encoded with the tokenizer's own special tokens);</item>
/// <item>anything else: plain UTF-8 text, one document (the evaluator cuts it into context-sized windows).</item>
/// </list>
/// </summary>
public static class EvaluationDataReader
{
    /// <param name="chatTemplate">Called once, at the first conversation (a text-only file needs no template).</param>
    /// <param name="completionOnly">Score only the assistant's tokens of conversations (plain text is scored whole).</param>
    public static EvaluationData Read(string path, ITextTokenizer tokenizer, Func<IChatTemplate> chatTemplate, bool completionOnly)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Evaluation file '{path}' does not exist.", path);
        if (!path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
        {
            var text = File.ReadAllText(path);
            if (text.Length == 0) throw new ArgumentException($"'{path}' is empty: there is no text to evaluate.");
            return new EvaluationData([ScoredSequence.AllScored(tokenizer.Encode(text, addSpecialTokens: true))], "text");
        }

        var sequences = new List<ScoredSequence>();
        IChatTemplate? template = null;
        var shapes = new HashSet<string>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var where = $"{path}:{lineNumber}";
            using var document = Parse(line, where);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new FormatException($"{where}: expected a JSON object, found {root.ValueKind}.");
            if (root.TryGetProperty("messages", out var messages))
            {
                template ??= chatTemplate();
                sequences.Add(Conversation(root, messages, tokenizer, template, completionOnly, where));
                shapes.Add("messages");
            }
            else if (root.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
            {
                sequences.Add(ScoredSequence.AllScored(tokenizer.Encode(text.GetString()!, addSpecialTokens: true)));
                shapes.Add("text");
            }
            else
            {
                throw new FormatException($"{where}: a line needs \"messages\" (a list of {{\"role\", \"content\"}}) or \"text\" (a string).");
            }
        }
        if (sequences.Count == 0) throw new ArgumentException($"'{path}' has no JSON lines: there is nothing to evaluate.");
        return new EvaluationData(sequences, shapes.Count == 1 ? "jsonl/" + shapes.Single() : "jsonl/mixed");
    }

    private static JsonDocument Parse(string line, string where)
    {
        try
        {
            return JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{where}: not valid JSON ({ex.Message}).");
        }
    }

    private static ScoredSequence Conversation(JsonElement root, JsonElement messages, ITextTokenizer tokenizer, IChatTemplate template,
        bool completionOnly, string where)
    {
        if (messages.ValueKind != JsonValueKind.Array) throw new FormatException($"{where}: \"messages\" must be a list, found {messages.ValueKind}.");
        var turns = new List<ChatMessage>();
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var role = message.ValueKind == JsonValueKind.Object && message.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String
                ? r.GetString() : null;
            var canonical = ChatRoles.Canonical(role)
                ?? throw new FormatException($"{where}: messages[{index}] has role \"{role}\"; allowed: {ChatRoles.AllowedDescription}.");
            if (!message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String)
                throw new FormatException($"{where}: messages[{index}] needs \"content\" as a string.");
            turns.Add(new ChatMessage(canonical, content.GetString()!));
            index++;
        }
        if (root.TryGetProperty("chosen", out var chosen) && chosen.ValueKind == JsonValueKind.String)
            turns.Add(ChatMessage.FromAssistant(chosen.GetString()!));
        if (turns.Count == 0) throw new FormatException($"{where}: \"messages\" is empty.");

        ChatRendering rendering;
        try
        {
            rendering = template.Render(turns, addGenerationPrompt: false);
        }
        catch (ArgumentException ex)
        {
            throw new FormatException($"{where}: the {template.Name} chat template cannot render this conversation: {ex.Message}");
        }
        var tokenized = ChatTokenization.Tokenize(tokenizer, rendering);
        return completionOnly
            ? new ScoredSequence([.. tokenized.InputIds], [.. tokenized.TrainableMask])
            : ScoredSequence.AllScored(tokenized.InputIds);
    }
}
