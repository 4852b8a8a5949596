using System.Text.Json;
using Pipeline.Data;
using Pipeline.Tokenizers.ChatTemplates;

namespace Pipeline.Evaluation.Prompts;

/// <summary>
/// Reads held-out prompts from JSONL, one object per line, in either shape:
/// <list type="bullet">
/// <item><c>{"id", "prompt": [{"role","content"}...] or "text", "reference"?, other string fields as labels}</c>
/// (the quickstart's eval_prompts.jsonl);</item>
/// <item><c>{"id"?, "messages": [...]}</c> (the dataset shape): a final assistant turn becomes the reference.</item>
/// </list>
/// Every problem names the file and line; nothing is generated before the whole file has been read.
/// </summary>
public static class EvaluationPromptFile
{
    public static IReadOnlyList<EvaluationPrompt> Read(string path, string? displayName = null)
    {
        var name = displayName ?? path;
        if (!File.Exists(path)) throw new EvaluationInputException($"{name}: the prompt file does not exist.");
        var prompts = new List<EvaluationPrompt>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            EvaluationPrompt prompt;
            try
            {
                using var document = JsonDocument.Parse(line);
                prompt = Parse(document.RootElement, $"line-{lineNumber}");
            }
            catch (JsonException e)
            {
                throw new EvaluationInputException($"{name}:{lineNumber}: not valid JSON ({e.Message}).");
            }
            catch (FormatException e)
            {
                throw new EvaluationInputException($"{name}:{lineNumber}: {e.Message}");
            }
            if (!ids.Add(prompt.Id)) throw new EvaluationInputException($"{name}:{lineNumber}: the id '{prompt.Id}' appears twice; every prompt needs its own id.");
            prompts.Add(prompt);
        }
        if (prompts.Count == 0) throw new EvaluationInputException($"{name}: the prompt file holds no prompts; add one JSON object per line with a \"prompt\".");
        return prompts;
    }

    /// <summary>Checks a prompt built elsewhere (a dataset row): it needs a user turn with text.</summary>
    public static void Validate(EvaluationPrompt prompt, string where)
    {
        if (prompt.Messages.Count == 0 || prompt.Messages[^1].Role != ChatRoles.User || string.IsNullOrWhiteSpace(prompt.Messages[^1].Content))
            throw new EvaluationInputException($"{where}: prompt '{prompt.Id}' has no text: its last turn must be a user message with content.");
    }

    private static EvaluationPrompt Parse(JsonElement root, string fallbackId)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException("expected a JSON object per line.");
        var id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString()! : fallbackId;
        string? reference = root.TryGetProperty("reference", out var referenceElement) && referenceElement.ValueKind == JsonValueKind.String
            ? referenceElement.GetString() : null;
        List<ChatMessage> messages;
        if (root.TryGetProperty("prompt", out var prompt))
            messages = prompt.ValueKind == JsonValueKind.String ? [ChatMessage.FromUser(prompt.GetString()!)] : Messages(prompt, "prompt");
        else if (root.TryGetProperty("messages", out var conversation))
        {
            messages = Messages(conversation, "messages");
            if (messages.Count > 0 && messages[^1].Role == ChatRoles.Assistant)
            {
                reference ??= messages[^1].Content;
                messages.RemoveAt(messages.Count - 1);
            }
        }
        else throw new FormatException("missing field 'prompt' (a list of {\"role\",\"content\"} turns, or a string).");
        if (messages.Count == 0 || messages[^1].Role != ChatRoles.User)
            throw new FormatException($"prompt '{id}' must end with a user turn (the message to answer).");
        if (string.IsNullOrWhiteSpace(messages[^1].Content))
            throw new FormatException($"prompt '{id}' has no text: its user message is empty.");
        var labels = root.EnumerateObject()
            .Where(p => p.Value.ValueKind == JsonValueKind.String && p.Name is not ("id" or "reference" or "prompt"))
            .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
        return new EvaluationPrompt(id, messages, reference, labels);
    }

    private static List<ChatMessage> Messages(JsonElement array, string field)
    {
        if (array.ValueKind != JsonValueKind.Array) throw new FormatException($"'{field}' must be a list of {{\"role\",\"content\"}} turns.");
        var messages = new List<ChatMessage>();
        foreach (var turn in array.EnumerateArray())
        {
            if (turn.ValueKind != JsonValueKind.Object || !turn.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String)
                throw new FormatException($"every turn of '{field}' needs a \"role\".");
            var content = turn.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "";
            messages.Add(new ChatMessage(role.GetString()!, content));
        }
        return messages;
    }
}
