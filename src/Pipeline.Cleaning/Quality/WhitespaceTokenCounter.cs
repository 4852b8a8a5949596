namespace Pipeline.Cleaning.Quality;

/// <summary>The default token counter: whitespace-separated pieces. Plug the run's tokenizer in instead when there is one.</summary>
public static class WhitespaceTokenCounter
{
    public static int Count(string text)
    {
        var count = 0;
        var inToken = false;
        foreach (var c in text)
        {
            var space = char.IsWhiteSpace(c);
            if (!space && !inToken)
                count++;
            inToken = !space;
        }
        return count;
    }
}
