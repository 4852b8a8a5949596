using System.Text.RegularExpressions;

namespace Pipeline.Data.Readers;

/// <summary>
/// Anthropic HH-RLHF transcripts: "\n\nHuman: ...\n\nAssistant: ..." as one string. Parsed into user/assistant turns.
/// </summary>
internal static partial class HhTranscript
{
    [GeneratedRegex(@"(?:^|\n\n)(Human|Assistant):[ \t]?", RegexOptions.CultureInvariant)]
    private static partial Regex TurnMarker();

    public static bool LooksLikeTranscript(string text) => TurnMarker().IsMatch(text);

    public static List<ChatMessage> Parse(string text, string field)
    {
        var markers = TurnMarker().Matches(text);
        if (markers.Count == 0 || !string.IsNullOrWhiteSpace(text[..markers[0].Index]))
            throw new InvalidRowException(RowErrorReasons.WrongType,
                $"'{field}' is text but not a \"Human: ... Assistant: ...\" transcript; give a 'prompt' field or message lists");
        var messages = new List<ChatMessage>(markers.Count);
        for (int i = 0; i < markers.Count; i++)
        {
            int start = markers[i].Index + markers[i].Length;
            int end = i + 1 < markers.Count ? markers[i + 1].Index : text.Length;
            string role = markers[i].Groups[1].Value == "Human" ? ChatRoles.User : ChatRoles.Assistant;
            messages.Add(new ChatMessage(role, text[start..end].Trim()));
        }
        return messages;
    }
}
