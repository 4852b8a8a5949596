using Pipeline.Configuration;
using Pipeline.Configuration.Synthesis;

namespace Pipeline.Training.Stages.Synthesis;

/// <summary>A generated example as parsed: the new user message, and the reply when the generator wrote one (full mode).</summary>
public sealed record ParsedExample(string Instruction, string? Response);

/// <summary>A parse: the example, or why the answer is not one (a <see cref="SelfInstructParser"/> reason).</summary>
public sealed record ParseResult(ParsedExample? Example, string? Failure)
{
    public static ParseResult Ok(string instruction, string? response) => new(new ParsedExample(instruction, response), null);
    public static ParseResult Fail(string reason) => new(null, reason);
}

/// <summary>
/// Reads the generator's answer strictly: exactly the requested form, or a failure with its reason. An answer that could
/// be read two ways (two examples, a reply inside a message, a cut-off text) is a failure, counted and dropped, never
/// guessed at: a wrong guess becomes a training row.
/// </summary>
public static class SelfInstructParser
{
    /// <summary>Nothing but white space.</summary>
    public const string Empty = "empty";
    /// <summary>Cut at max_new_tokens: what follows might have changed its meaning.</summary>
    public const string Truncated = "truncated";
    /// <summary>Full mode: the answer does not start with the Instruction: line, or the instruction is empty.</summary>
    public const string MissingInstruction = "missing_instruction";
    /// <summary>Full mode: no Response: line, or the response is empty.</summary>
    public const string MissingResponse = "missing_response";
    /// <summary>A label appears more than once: several examples in one answer.</summary>
    public const string SeveralExamples = "several_examples";
    /// <summary>Inputs-only mode: the answer holds a Response: line, so where the message ends is a guess.</summary>
    public const string ResponseInMessage = "response_in_message";

    /// <param name="truncated">The answer stopped at the token limit (finish reason length).</param>
    public static ParseResult Parse(string text, bool truncated, SynthesisMode mode)
    {
        if (string.IsNullOrWhiteSpace(text)) return ParseResult.Fail(Empty);
        if (truncated) return ParseResult.Fail(Truncated);
        var lines = text.Replace("\r\n", "\n").Trim().Split('\n');
        var instructions = LabelLines(lines, SelfInstructPrompt.InstructionLabel);
        var responses = LabelLines(lines, SelfInstructPrompt.ResponseLabel);
        if (instructions.Count > 1 || responses.Count > 1) return ParseResult.Fail(SeveralExamples);

        if (mode == SynthesisMode.InputsOnly)
        {
            if (responses.Count > 0) return ParseResult.Fail(ResponseInMessage);
            // A leading Instruction: label is the format of the examples, not part of the message: it is dropped, nothing else is.
            if (instructions.Count == 1 && instructions[0] != 0) return ParseResult.Fail(SeveralExamples);
            var message = Join(lines, 0, lines.Length, instructions.Count == 1 ? SelfInstructPrompt.InstructionLabel : null);
            return message.Length == 0 ? ParseResult.Fail(Empty) : ParseResult.Ok(message, null);
        }

        if (instructions.Count == 0 || instructions[0] != 0) return ParseResult.Fail(MissingInstruction);
        if (responses.Count == 0) return ParseResult.Fail(MissingResponse);
        var instruction = Join(lines, 0, responses[0], SelfInstructPrompt.InstructionLabel);
        var response = Join(lines, responses[0], lines.Length, SelfInstructPrompt.ResponseLabel);
        if (instruction.Length == 0) return ParseResult.Fail(MissingInstruction);
        if (response.Length == 0) return ParseResult.Fail(MissingResponse);
        return ParseResult.Ok(instruction, response);
    }

    /// <summary>Indices of the lines that start with the label (after leading white space).</summary>
    private static List<int> LabelLines(string[] lines, string label) =>
        [.. Enumerable.Range(0, lines.Length).Where(i => lines[i].TrimStart().StartsWith(label, StringComparison.Ordinal))];

    /// <summary>Lines [from, to) as one text, the label removed from the first line, trimmed.</summary>
    private static string Join(string[] lines, int from, int to, string? label)
    {
        var part = lines[from..to].ToArray();
        if (label is not null) part[0] = part[0].TrimStart()[label.Length..];
        return string.Join('\n', part).Trim();
    }
}
