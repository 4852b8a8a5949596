using System.Reflection;
using System.Text;

namespace Pipeline.Tests;

/// <summary>
/// A fresh folder under the system temp folder, named after the test assembly (so a leftover one says where it came
/// from), deleted when the test ends. Linked into every test project from tests/Shared.
/// </summary>
public sealed class TempFolder : IDisposable
{
    private static readonly string Prefix = (Assembly.GetExecutingAssembly().GetName().Name ?? "pipeline-tests") + "-";

    public string Path { get; } = Directory.CreateTempSubdirectory(Prefix).FullName;

    /// <summary>A path inside the folder (nothing is created).</summary>
    public string PathOf(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes <paramref name="content"/> as UTF-8 without a byte order mark, exactly as given, creating subfolders.</summary>
    public string Write(string name, string content)
    {
        var path = PathOf(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }

    /// <summary>Writes the lines, each ending in "\n".</summary>
    public string WriteLines(string name, params string[] lines) => Write(name, string.Join("\n", lines) + "\n");

    /// <summary>The names of the files directly in the folder, in ordinal order.</summary>
    public string[] FileNames() =>
        [.. Directory.EnumerateFiles(Path).Select(System.IO.Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test (the OS cleans its temp folder).
        }
    }
}
