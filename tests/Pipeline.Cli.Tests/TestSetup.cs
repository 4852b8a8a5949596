using Pipeline.Cli.Commands.Model;
using Pipeline.Modeling.Configuration;

[assembly: AssemblyFixture(typeof(Pipeline.Cli.Tests.TinyModelFolders))]

namespace Pipeline.Cli.Tests;

/// <summary>One tiny Llama and one tiny GPT-2 made by `model init`, shared by every test that only reads them.</summary>
public sealed class TinyModelFolders : IDisposable
{
    private readonly TempFolder root = new();
    private readonly Lazy<ModelInitResult> llama;
    private readonly Lazy<ModelInitResult> gpt2;

    public TinyModelFolders()
    {
        llama = new(() => ModelInitializer.Create(root.PathOf("llama"), new ModelInitOptions { Seed = 1 }));
        gpt2 = new(() => ModelInitializer.Create(root.PathOf("gpt2"), new ModelInitOptions { Architecture = ModelArchitecture.Gpt2, Seed = 1 }));
    }

    public ModelInitResult Llama => llama.Value;
    public ModelInitResult Gpt2 => gpt2.Value;

    public void Dispose() => root.Dispose();
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
