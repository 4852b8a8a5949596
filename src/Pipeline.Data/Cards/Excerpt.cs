using System.Text;

namespace Pipeline.Data.Cards;

/// <summary>A one-line excerpt of an example for the data card: its first user turn, whitespace collapsed, cut short.</summary>
public static class Excerpt
{
    public const int DefaultLength = 100;

    public static string Of(Example example, int maxLength = DefaultLength)
    {
        var text = example.Messages.FirstOrDefault(m => m.Role == ChatRoles.User)?.Content
            ?? example.Messages.FirstOrDefault()?.Content ?? "";
        return OneLine(text, maxLength);
    }

    public static string OneLine(string text, int maxLength)
    {
        var result = new StringBuilder(Math.Min(text.Length, maxLength + 1));
        bool pendingSpace = false;
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = result.Length > 0;
                continue;
            }
            if (pendingSpace) result.Append(' ');
            pendingSpace = false;
            result.Append(c);
            if (result.Length > maxLength) return result.ToString(0, maxLength) + "…";
        }
        return result.ToString();
    }
}
