using Pipeline.Modeling;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Modeling.Configuration;
using Pipeline.Tokenizers;

namespace Pipeline.Training.Tests.Support;

internal static class TinyModels
{
    /// <summary>A Llama small enough that a training step takes milliseconds.</summary>
    public static ModelConfig Llama(int vocab, int layers = 1) =>
        ModelPresets.Llama(vocab, hidden: 32, layers: layers, heads: 4, kvHeads: 2, intermediate: 64, context: 128);

    public static CausalLanguageModel Create(ITextTokenizer tokenizer, long seed = 1, int layers = 1) =>
        ModelFactory.CreateRandom(Llama(tokenizer.VocabSize, layers), seed);
}

/// <summary>A temporary folder deleted at the end of a test.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("training-tests-").FullName;
    public string Sub(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose() => Directory.Delete(Path, recursive: true);
}
