namespace Pipeline.Configuration;

/// <summary>Where an input artifact comes from.</summary>
public enum InputReferenceKind
{
    /// <summary>An artifact already in the run's artifact store: <c>artifact:runs/abc/sft/model</c>.</summary>
    Artifact,
    /// <summary>A local folder in the artifact layout (model, adapter or dataset), imported at run start.</summary>
    LocalPath,
}

/// <summary>A parsed value of <c>inputs.&lt;role&gt;</c>: an artifact key or a local path.</summary>
public sealed record InputReference(InputReferenceKind Kind, string Location)
{
    public const string ArtifactPrefix = "artifact:";

    /// <summary>Parses <paramref name="text"/>; the problem, for people, or null.</summary>
    public static string? TryParse(string text, out InputReference? reference)
    {
        reference = null;
        if (string.IsNullOrWhiteSpace(text)) return "must not be empty; give artifact:<key> or a local folder path";
        if (!text.StartsWith(ArtifactPrefix, StringComparison.Ordinal))
        {
            reference = new InputReference(InputReferenceKind.LocalPath, text);
            return null;
        }

        var key = text[ArtifactPrefix.Length..];
        var problem = key.Length == 0 ? "the artifact key after 'artifact:' is empty"
            : key.StartsWith('/') ? "an artifact key is relative to the store; remove the leading '/'"
            : key.Contains('\\') ? "an artifact key uses '/' between segments, not '\\'"
            : key.Split('/').Any(s => s is "" or "." or "..") ? "an artifact key may not contain empty, '.' or '..' segments"
            : key.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)) ? "an artifact key may not contain spaces or control characters"
            : null;
        if (problem is not null) return $"'{text}' is not a valid artifact reference: {problem}";
        reference = new InputReference(InputReferenceKind.Artifact, key);
        return null;
    }

    public static InputReference Parse(string text) =>
        TryParse(text, out var reference) is { } problem ? throw new FormatException(problem) : reference!;

    public override string ToString() => Kind == InputReferenceKind.Artifact ? ArtifactPrefix + Location : Location;
}
