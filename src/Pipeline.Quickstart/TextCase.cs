namespace Pipeline.Quickstart;

internal static class TextCase
{
    /// <summary>
    /// A sentence as it reads after "Hi Anna," on the same line: the first letter in lower case, unless the first
    /// word is the pronoun "I" or written in capitals throughout ("I have sent ...", "SORRY FOR ...").
    /// </summary>
    public static string AfterComma(string sentence)
    {
        if (sentence.Length == 0 || !char.IsUpper(sentence[0])) return sentence;
        var firstWordEnd = 1;
        while (firstWordEnd < sentence.Length && char.IsLetter(sentence[firstWordEnd])) firstWordEnd++;
        var firstWord = sentence[..firstWordEnd];
        if (firstWord == "I" || (firstWord.Length > 1 && firstWord.All(char.IsUpper))) return sentence;
        return char.ToLowerInvariant(sentence[0]) + sentence[1..];
    }
}
