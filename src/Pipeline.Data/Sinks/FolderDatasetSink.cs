namespace Pipeline.Data.Sinks;

/// <summary>Writes under a local folder, replacing existing files. Paths must stay inside the folder.</summary>
public sealed class FolderDatasetSink(string root) : IDatasetSink
{
    public string Root { get; } = Path.GetFullPath(root);

    public Task<Stream> OpenWriteAsync(string relativePath, CancellationToken ct)
    {
        if (Path.IsPathRooted(relativePath) || relativePath.Split('/', '\\').Contains(".."))
            throw new ArgumentException($"Dataset file path '{relativePath}' must be relative and must not contain '..'.", nameof(relativePath));
        string fullPath = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        Stream stream = new FileStream(fullPath, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
        return Task.FromResult(stream);
    }
}
