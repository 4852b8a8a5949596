namespace Pipeline.Evaluation.Tests;

internal static class Repository
{
    public static string Root
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !System.IO.File.Exists(System.IO.Path.Combine(directory.FullName, "Pipeline.sln"))) directory = directory.Parent;
            return directory?.FullName ?? throw new InvalidOperationException("Pipeline.sln not found above the test binaries.");
        }
    }
}
