using System.Text.Json;

namespace Pipeline.Quickstart.Data;

/// <summary>Reads eval_prompts.jsonl back, for the evaluation stage. Errors name the file, the line and the field.</summary>
public static class EvalPromptFile
{
    public static IReadOnlyList<EvalPrompt> Read(string path)
    {
        var prompts = new List<EvalPrompt>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                prompts.Add(Parse(line));
            }
            catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
            {
                throw new FormatException($"{path}:{lineNumber}: {e.Message} Expected {{\"id\":..,\"intent\":..,\"prompt\":[system, user],\"reference\":..}}.", e);
            }
        }
        return prompts;
    }

    private static EvalPrompt Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var prompt = Field(root, "prompt");
        string? system = null, user = null;
        foreach (var message in prompt.EnumerateArray())
        {
            var role = Field(message, "role").GetString();
            var content = Field(message, "content").GetString();
            if (role == "system") system = content;
            else if (role == "user") user = content;
            else throw new FormatException($"'prompt' has a '{role}' turn; only 'system' and 'user' are expected.");
        }
        return new EvalPrompt(
            Field(root, "id").GetString() ?? throw new FormatException("'id' is null."),
            SupportIntents.Parse(Field(root, "intent").GetString() ?? ""),
            system ?? "",
            user ?? throw new FormatException("'prompt' has no 'user' turn."),
            Field(root, "reference").GetString() ?? "");
    }

    private static JsonElement Field(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value
            : throw new FormatException($"missing field '{name}'.");
}
