using Pipeline.Modeling.Quantization;
using Pipeline.Modeling;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Tokenizers;
using Pipeline.Tokenizers.ChatTemplates;
using static TorchSharp.torch;

namespace Pipeline.Cli.Commands.Model;

/// <summary>A model folder loaded for inference: the weights (with an adapter applied when one is given) and the tokenizer.</summary>
public sealed class LoadedModel : IDisposable
{
    private LoadedModel(string directory, string? adapterDirectory, CausalLanguageModel model, ITextTokenizer tokenizer)
    {
        Directory = directory;
        AdapterDirectory = adapterDirectory;
        Model = model;
        Tokenizer = tokenizer;
    }

    public string Directory { get; }
    public string? AdapterDirectory { get; }
    public CausalLanguageModel Model { get; }
    public ITextTokenizer Tokenizer { get; }

    /// <param name="dtype">Parameter dtype; null: the config's torch_dtype.</param>
    /// <param name="nf4">Store the base's linear layers in NF4 (as QLoRA training saw them); null: keep them in <paramref name="dtype"/>.</param>
    public static LoadedModel Load(string directory, string? adapterDirectory = null, ScalarType? dtype = null, Nf4BaseOptions? nf4 = null)
    {
        var full = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(full)) throw new DirectoryNotFoundException($"Model folder '{full}' does not exist.");
        var tokenizer = TokenizerLoader.Load(full);
        var model = CausalLmLoader.Load(full, dtype: dtype);
        string? adapter = null;
        if (adapterDirectory is not null)
        {
            adapter = Path.GetFullPath(adapterDirectory);
            model = AdapterLoading.Apply(model, adapter, nf4);
        }
        else if (nf4 is not null)
        {
            Nf4BaseQuantizer.Quantize(model, nf4);
        }
        if (tokenizer.VocabSize > model.Config.VocabSize)
            throw new ArgumentException($"The tokenizer in '{full}' has {tokenizer.VocabSize} ids but config.json's vocab_size is {model.Config.VocabSize}: " +
                "ids past the embedding table cannot be looked up. Use the tokenizer the model was trained with.");
        return new LoadedModel(full, adapter, model, tokenizer);
    }

    /// <summary>The chat template by name, else tokenizer_config.json's chat_template, else one detected from special tokens.</summary>
    public IChatTemplate ChatTemplate(string? name = null)
    {
        try
        {
            return ChatTemplateResolver.Resolve(name, Tokenizer, new DirectoryInfo(Directory));
        }
        catch (InvalidOperationException ex)
        {
            throw new ArgumentException($"'{Directory}': {ex.Message} (pass --chat-template NAME).", ex);
        }
    }

    public void Dispose() => Model.Dispose();
}
