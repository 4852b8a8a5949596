using System.Text.Json;

namespace Pipeline.Data.Readers;

/// <summary>
/// Alpaca records: <c>instruction</c>, optional <c>input</c> (appended to the user turn after a blank line),
/// <c>output</c>, optional <c>system</c>. The prompt/response (or completion) spelling of a single turn is accepted too.
/// </summary>
internal sealed class AlpacaReader : IRecordMapper
{
    public static AlpacaReader Instance { get; } = new();

    public DataFormat Format => DataFormat.Alpaca;

    public string ExpectedShape => "'instruction' and 'output' fields (or 'prompt' and 'response')";

    public bool Recognizes(JsonElement record) => RecordMappers.Detect(record) == DataFormat.Alpaca;

    public Example Map(JsonElement record, SourceLocation source)
    {
        JsonFields.RequireObject(record);
        string instructionField = JsonFields.Has(record, "instruction") || !JsonFields.Has(record, "prompt") ? "instruction" : "prompt";
        string instruction = JsonFields.RequiredString(record, instructionField);
        string? input = JsonFields.OptionalString(record, "input");
        string outputField = new[] { "output", "response", "completion" }.FirstOrDefault(f => JsonFields.Has(record, f)) ?? "output";
        string output = JsonFields.RequiredString(record, outputField);
        string? system = JsonFields.OptionalString(record, "system");

        string user = string.IsNullOrWhiteSpace(input) ? instruction
            : string.IsNullOrWhiteSpace(instruction) ? input
            : instruction + "\n\n" + input;
        var messages = new List<ChatMessage>(3);
        if (!string.IsNullOrWhiteSpace(system)) messages.Add(new ChatMessage(ChatRoles.System, system));
        messages.Add(new ChatMessage(ChatRoles.User, user));
        messages.Add(new ChatMessage(ChatRoles.Assistant, output));
        return new Example
        {
            Id = JsonFields.OptionalId(record) ?? ExampleHasher.DerivedId(messages, null, null),
            Messages = messages,
            Source = source,
        };
    }
}
