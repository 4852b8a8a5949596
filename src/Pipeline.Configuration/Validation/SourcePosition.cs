using YamlDotNet.Core;

namespace Pipeline.Configuration.Validation;

/// <summary>A 1-based line and column in the YAML text.</summary>
public readonly record struct SourcePosition(int Line, int Column)
{
    public static readonly SourcePosition Start = new(1, 1);

    internal static SourcePosition Of(Mark mark) => new((int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));
}
