namespace Pipeline.Artifacts;

/// <summary>The artifact exists but its manifest does not list the requested file.</summary>
public sealed class ArtifactFileNotFoundException(string artifactId, string relativePath, IReadOnlyList<string> filesInManifest)
    : Exception($"Artifact '{artifactId}' has no file '{relativePath}' in its manifest. " + Describe(filesInManifest))
{
    public string ArtifactId { get; } = artifactId;
    public string RelativePath { get; } = relativePath;

    private static string Describe(IReadOnlyList<string> files) => files.Count switch
    {
        0 => "The artifact has no files.",
        <= 10 => $"Its files are: {string.Join(", ", files)}.",
        _ => $"It has {files.Count} files, among them: {string.Join(", ", files.Take(10))}, ...",
    };
}
