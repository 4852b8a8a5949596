using System.Runtime.CompilerServices;
using Pipeline.Cli.Commands.Model;
using Pipeline.Modeling.Configuration;
using TorchSharp;

[assembly: AssemblyFixture(typeof(Pipeline.Cli.Tests.TinyModelFolders))]

namespace Pipeline.Cli.Tests;

internal static class TorchTestSetup
{
    // CI machines have 2 cores and xunit runs test classes in parallel: one intra-op thread each.
    [ModuleInitializer]
    internal static void Initialize() => torch.set_num_threads(1);
}

/// <summary>One tiny Llama and one tiny GPT-2 made by `model init`, shared by every test that only reads them.</summary>
public sealed class TinyModelFolders : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("cli-tests-models-").FullName;
    private readonly Lazy<ModelInitResult> llama;
    private readonly Lazy<ModelInitResult> gpt2;

    public TinyModelFolders()
    {
        llama = new(() => ModelInitializer.Create(Path.Combine(root, "llama"), new ModelInitOptions { Seed = 1 }));
        gpt2 = new(() => ModelInitializer.Create(Path.Combine(root, "gpt2"), new ModelInitOptions { Architecture = ModelArchitecture.Gpt2, Seed = 1 }));
    }

    public ModelInitResult Llama => llama.Value;
    public ModelInitResult Gpt2 => gpt2.Value;

    public void Dispose() => Directory.Delete(root, recursive: true);
}

/// <summary>A temporary folder deleted at the end of a test.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("cli-tests-").FullName;
    public string File(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>
/// Tests that run a pipeline through `pipeline run` (or a command built on it): its live progress display is exclusive
/// (Spectre.Console allows one at a time per process), so these classes take turns instead of running in parallel.
/// </summary>
[CollectionDefinition(Name)]
public sealed class EmbeddedRunCollection
{
    public const string Name = "embedded pipeline runs";
}
