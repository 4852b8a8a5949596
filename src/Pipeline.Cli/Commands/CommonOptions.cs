using System.CommandLine;

namespace Pipeline.Cli.Commands;

internal static class CommonOptions
{
    /// <summary>Where embedded runs keep artifacts and run state; also accepts an Azure Storage connection string.</summary>
    public static Option<string> Artifacts() => new("--artifacts")
    {
        Description = "Artifact store: a folder (default ./artifacts) or an Azure Storage connection string.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ConnectionStrings__artifacts") ?? "artifacts",
    };

    public static Option<string?> Api() => new("--api")
    {
        Description = "Base URL of the pipeline API (distributed mode), e.g. http://127.0.0.1:5080.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PIPELINE_API"),
    };
}
