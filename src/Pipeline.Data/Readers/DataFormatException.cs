namespace Pipeline.Data.Readers;

/// <summary>
/// The file as a whole is not what the config says (or its format cannot be told): the message names the file, the
/// expected format and what was found. Unlike a <see cref="RowError"/>, this stops the read.
/// </summary>
public sealed class DataFormatException(string file, string message) : Exception(message)
{
    public string File { get; } = file;
}
