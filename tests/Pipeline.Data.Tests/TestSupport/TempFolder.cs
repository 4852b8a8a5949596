using System.Text;

namespace Pipeline.Data.Tests.TestSupport;

/// <summary>A fresh folder under the system temp path, deleted when the test ends.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "pipeline-data-tests", Guid.NewGuid().ToString("n"));

    public string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>Writes <paramref name="content"/> as UTF-8 without a byte order mark, exactly as given.</summary>
    public string Write(string name, string content)
    {
        string path = PathOf(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }

    public string WriteLines(string name, params string[] lines) => Write(name, string.Join("\n", lines) + "\n");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }
}
