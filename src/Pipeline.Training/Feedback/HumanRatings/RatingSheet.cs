using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Training.Alignment.Rewards;

namespace Pipeline.Training.Feedback.HumanRatings;

/// <summary>The two shapes of a rating sheet: a JSON line per prompt, or a CSV row per reply (for spreadsheets).</summary>
public enum RatingSheetFormat
{
    Jsonl,
    Csv,
}

/// <summary>
/// The annotation sheet `pipeline feedback export` writes from the candidates. JSONL: one line per prompt with prompt_id,
/// prompt (its turns as text), replies [{id, text}] and an empty ranking, to be filled with the reply ids best first. CSV: one
/// row per reply with prompt_id, reply_id, an empty rank column (1 = best) and the prompt and reply texts. A prompt left
/// unranked is skipped at import.
/// </summary>
public static class RatingSheet
{
    public static readonly string[] CsvColumns = ["prompt_id", "reply_id", "rank", "prompt", "reply"];

    /// <summary>Writes the sheet to a temporary file beside <paramref name="path"/> and moves it in place, so no half sheet is left.</summary>
    public static void Write(string path, IReadOnlyList<CandidatePrompt> prompts, RatingSheetFormat format)
    {
        var temporary = path + ".partial";
        using (var writer = new StreamWriter(temporary, append: false, new UTF8Encoding(false)))
        {
            if (format == RatingSheetFormat.Jsonl)
            {
                foreach (var prompt in prompts)
                    writer.WriteLine(new JsonObject
                    {
                        ["prompt_id"] = prompt.PromptId, ["prompt"] = LlmJudge.Conversation(prompt.Prompt),
                        ["replies"] = new JsonArray([.. prompt.Replies.Select(r => (JsonNode)new JsonObject { ["id"] = r.Id, ["text"] = r.Text })]),
                        ["ranking"] = new JsonArray(),
                    }.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            }
            else
            {
                writer.Write(string.Join(',', CsvColumns) + "\n");
                foreach (var prompt in prompts)
                    foreach (var reply in prompt.Replies)
                        writer.Write(string.Join(',', new[] { prompt.PromptId, reply.Id, "", LlmJudge.Conversation(prompt.Prompt), reply.Text }.Select(Quote)) + "\n");
            }
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>RFC 4180: a field with a comma, quote or line break goes in double quotes, its quotes doubled.</summary>
    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
