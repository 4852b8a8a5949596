namespace Pipeline.Quickstart;

/// <summary>
/// What counts as a word for the house style: a whitespace-separated token holding at least one letter or digit,
/// so punctuation on its own (the dash of the sign-off) is not a word.
/// </summary>
public static class TextWords
{
    public static IEnumerable<string> Tokens(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Where(token => token.Any(char.IsLetterOrDigit));

    public static int Count(string text) => Tokens(text).Count();
}
