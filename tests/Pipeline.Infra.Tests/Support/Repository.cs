namespace Pipeline.Infra.Tests.Support;

/// <summary>Paths in the repository these tests check, found from the test binary's location.</summary>
public static class Repository
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The folder holding Pipeline.sln and infra/.</summary>
    public static string Root => RootPath.Value;

    public static string PathOf(string relative) => Path.GetFullPath(Path.Combine(Root, relative));

    /// <summary>A path relative to the repository root with forward slashes, for messages.</summary>
    public static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    public static string ReadText(string relative)
    {
        var path = PathOf(relative);
        if (!File.Exists(path)) throw new FileNotFoundException($"{relative} does not exist (looked at {path}).", path);
        return File.ReadAllText(path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")) && Directory.Exists(Path.Combine(dir.FullName, "infra")))
                return dir.FullName;
        throw new DirectoryNotFoundException(
            $"No folder above {AppContext.BaseDirectory} holds both Pipeline.sln and infra/; run the tests from the repository's build output.");
    }
}
