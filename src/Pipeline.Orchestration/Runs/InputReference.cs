namespace Pipeline.Orchestration.Runs;

/// <summary>
/// How a run config names an input that lives in the artifact store: <c>artifact:ID</c> for a whole artifact
/// (a model folder) or <c>artifact:ID#FILE</c> for one file of it (an uploaded data file).
/// </summary>
public sealed record InputReference(string ArtifactId, string? FileName)
{
    public const string Scheme = "artifact:";

    public static bool IsArtifact(string value) => value.StartsWith(Scheme, StringComparison.Ordinal);

    public static InputReference Parse(string value)
    {
        if (!IsArtifact(value))
            throw new FormatException($"'{value}' is not an artifact reference; expected '{Scheme}<artifact id>' or '{Scheme}<artifact id>#<file>'.");
        var body = value[Scheme.Length..];
        var hash = body.IndexOf('#');
        return hash < 0 ? new InputReference(body, null) : new InputReference(body[..hash], body[(hash + 1)..]);
    }

    public override string ToString() => FileName is null ? Scheme + ArtifactId : $"{Scheme}{ArtifactId}#{FileName}";
}
