namespace Pipeline.Configuration;

/// <summary>
/// One problem in a config file: where it is (dotted key path such as <c>stages.sft.learning_rate</c>,
/// 1-based line and column in the YAML) and, for people, what is wrong and what is allowed.
/// </summary>
/// <param name="Path">Dotted key path; list items as <c>inputs[0]</c>; empty for the file as a whole.</param>
/// <param name="Line">1-based line of the key (or value) in the YAML text.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Message">What is wrong and what is allowed, without the location.</param>
public sealed record ConfigError(string Path, int Line, int Column, string Message)
{
    /// <summary>The compiler-style line people see: <c>quickstart.yaml:12:5: stages.sft.lr: unknown key. ...</c></summary>
    public string Format(string sourceName) =>
        Path.Length == 0
            ? $"{sourceName}:{Line}:{Column}: {Message}"
            : $"{sourceName}:{Line}:{Column}: {Path}: {Message}";

    public override string ToString() => Format("config");
}
