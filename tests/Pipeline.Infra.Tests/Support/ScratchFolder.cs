namespace Pipeline.Infra.Tests.Support;

/// <summary>A fresh temporary folder, deleted on dispose.</summary>
public sealed class ScratchFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("pipeline-infra-tests-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* best effort: the OS cleans its temp folder */ }
    }
}
