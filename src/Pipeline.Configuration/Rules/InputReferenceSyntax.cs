namespace Pipeline.Configuration.Rules;

/// <summary>
/// The shape of an <c>inputs.&lt;role&gt;</c> value: <c>artifact:ID</c> (a whole artifact, e.g. a model),
/// <c>artifact:ID#FILE</c> (one file of it, as the importer writes for uploaded data), or a local path
/// that <c>pipeline run</c>/<c>submit</c> uploads. Only the shape is checked here, so a typo fails before
/// the run starts; the artifact store applies its full key rules when the artifact is read.
/// </summary>
internal static class InputReferenceSyntax
{
    public const string ArtifactScheme = "artifact:";

    /// <summary>The problem with <paramref name="text"/>, for people, or null when it is well formed.</summary>
    public static string? Check(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "must not be empty; give artifact:<id> or a local path";
        if (!text.StartsWith(ArtifactScheme, StringComparison.Ordinal)) return null;

        var body = text[ArtifactScheme.Length..];
        var hash = body.IndexOf('#');
        var id = hash < 0 ? body : body[..hash];
        var file = hash < 0 ? null : body[(hash + 1)..];
        var problem = id.Length == 0 ? "the artifact id after 'artifact:' is empty"
            : id.StartsWith('/') ? "an artifact id is relative to the store; remove the leading '/'"
            : id.Contains('\\') ? "an artifact id uses '/' between segments, not '\\'"
            : id.Split('/').Any(s => s is "" or "." or "..") ? "an artifact id may not contain empty, '.' or '..' segments"
            : id.Any(char.IsControl) ? "an artifact id may not contain control characters"
            : file is not null && (file.Length == 0 || file.Contains('/')) ? "the file name after '#' must be a plain file name"
            : null;
        return problem is null ? null : $"'{text}' is not a valid artifact reference: {problem}";
    }
}
