using System.CommandLine;
using Pipeline.Modeling.Configuration;
using Spectre.Console;
using static TorchSharp.torch;

namespace Pipeline.Cli.Commands.Model;

/// <summary><c>pipeline model init OUT</c>: a randomly initialized model with its own trained tokenizer.</summary>
internal static class ModelInitCommand
{
    public static Command Create(Lazy<CommandOutput> output)
    {
        var directory = new Argument<string>("OUT") { Description = "Folder to create (new or empty)." };
        var architecture = new Option<string>("--arch")
        {
            Description = "Architecture: llama (RMSNorm, RoPE, SwiGLU, grouped-query attention) or gpt2.",
            DefaultValueFactory = _ => "llama",
        };
        architecture.AcceptOnlyFromAmong("llama", "gpt2");
        var preset = new Option<string>("--preset")
        {
            Description = $"Size: {ModelPresets.Supported} (tiny: hidden 64, 2 layers; small: hidden 512, 6-8 layers).",
            DefaultValueFactory = _ => "tiny",
        };
        preset.AcceptOnlyFromAmong("tiny", "small");
        var vocabSize = new Option<int?>("--vocab-size") { Description = "Tokenizer vocabulary (default 512 for tiny, 2048 for small)." };
        var corpus = new Option<string?>("--corpus") { Description = "Text file to train the tokenizer on (default: a built-in support-desk sample)." };
        var seed = new Option<long>("--seed") { Description = "Seed of the weight initialization.", DefaultValueFactory = _ => 0 };
        var dtype = new Option<string?>("--dtype") { Description = "Dtype of the saved weights: float32 (default) or bfloat16." };
        var force = new Option<bool>("--force") { Description = "Write into a folder that already has files." };
        var command = new Command("init", "Create a model with random weights (Hugging Face layout) and a byte-level BPE tokenizer trained for it.")
        {
            directory, architecture, preset, vocabSize, corpus, seed, dtype, force,
        };
        command.SetAction((r, _) => ModelCliErrors.Guard(() => Run(output.Value, r.GetValue(directory)!, new ModelInitOptions
        {
            Architecture = r.GetValue(architecture) == "gpt2" ? ModelArchitecture.Gpt2 : ModelArchitecture.Llama,
            Preset = r.GetValue(preset)!,
            VocabSize = r.GetValue(vocabSize),
            CorpusPath = r.GetValue(corpus),
            Seed = r.GetValue(seed),
            Dtype = ModelOptions.ParseDtype(r.GetValue(dtype)) ?? ScalarType.Float32,
            Overwrite = r.GetValue(force),
        })));
        return command;
    }

    private static int Run(CommandOutput output, string directory, ModelInitOptions options)
    {
        var result = ModelInitializer.Create(directory, options);
        var c = result.Config;
        output.Console.MarkupLine($"[green]created[/] {Markup.Escape(result.Directory)}: {c.ModelType} ({options.Preset}), " +
            $"{ModelFormatting.Count(result.Parameters)} parameters, hidden {c.HiddenSize}, {c.NumLayers} layers, {c.NumHeads} heads, " +
            $"context {c.MaxPositionEmbeddings}, vocabulary {result.TokenizerVocabSize}, {c.TorchDtype}, seed {options.Seed}");
        if (result.TokenizerVocabSize < options.ResolvedVocabSize)
            output.Console.MarkupLine($"[yellow]note:[/] the corpus supported only {result.TokenizerVocabSize} of the {options.ResolvedVocabSize} " +
                "requested tokens (no pair left that occurs twice); give --corpus more text for a larger vocabulary.");
        output.Console.MarkupLine("files: " + Markup.Escape(string.Join(", ", result.Files)));
        return 0;
    }
}
