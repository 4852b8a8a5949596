namespace Pipeline.Tokenizers;

/// <summary>
/// A tokenizer file that cannot be used: the message names the file and what is wrong with it.
/// </summary>
public sealed class TokenizerFormatException : Exception
{
    public TokenizerFormatException(string filePath, string problem, Exception? inner = null)
        : base($"{filePath}: {problem}", inner)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The file that was being read.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }

    /// <summary>
    /// True when the file is well formed but describes a tokenizer kind this library does not implement
    /// (e.g. WordPiece in tokenizer.json); the loader may then fall back to another file in the folder.
    /// </summary>
    public bool IsUnsupportedKind { get; init; }
}
