using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipeline.Quickstart.Data;

/// <summary>
/// The JSON lines of the quickstart files, written field by field so the bytes are fixed: keys in a fixed order,
/// no indentation, and non-ASCII text (the em dash of the sign-off) as itself rather than \u escapes, so a person
/// can read the files.
/// </summary>
internal static class QuickstartJsonLines
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    public static string Sft(string systemPrompt, string user, string assistant) => Line(w =>
    {
        w.WritePropertyName("messages");
        Messages(w, ("system", systemPrompt), ("user", user), ("assistant", assistant));
    });

    public static string Preference(string systemPrompt, string user, string chosen, string rejected) => Line(w =>
    {
        w.WritePropertyName("prompt");
        Messages(w, ("system", systemPrompt), ("user", user));
        w.WriteString("chosen", chosen);
        w.WriteString("rejected", rejected);
    });

    public static string EvalPrompt(EvalPrompt prompt) => Line(w =>
    {
        w.WriteString("id", prompt.Id);
        w.WriteString("intent", prompt.Intent.ToName());
        w.WritePropertyName("prompt");
        Messages(w, ("system", prompt.SystemPrompt), ("user", prompt.Message));
        w.WriteString("reference", prompt.Reference);
    });

    private static void Messages(Utf8JsonWriter writer, params (string Role, string Content)[] messages)
    {
        writer.WriteStartArray();
        foreach (var (role, content) in messages)
        {
            writer.WriteStartObject();
            writer.WriteString("role", role);
            writer.WriteString("content", content);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static string Line(Action<Utf8JsonWriter> writeFields)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            writeFields(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
