using System.CommandLine;
using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Adapters.Peft;
using Spectre.Console;

namespace Pipeline.Cli.Commands.Model;

/// <summary><c>pipeline model merge --model DIR --adapter DIR OUT</c>: a LoRA, (IA)³ or LayerNorm-tuning adapter folded into its base as a plain model folder.</summary>
internal static class ModelMergeCommand
{
    public static Command Create(Lazy<CommandOutput> output)
    {
        var model = ModelOptions.Model();
        var adapter = new Option<string>("--adapter") { Description = "The PEFT LoRA adapter folder (also what QLoRA training saves).", Required = true };
        var directory = new Argument<string>("OUT") { Description = "Folder for the merged model (new or empty)." };
        var force = new Option<bool>("--force") { Description = "Write into a folder that already has files." };
        var command = new Command("merge", "Merge a LoRA (W + (alpha/r)·B·A), (IA)³ (W ⊙ l) or LayerNorm-tuning adapter into its base model, saved as a plain Hugging Face model folder.")
        {
            model, adapter, directory, force,
        };
        command.SetAction((r, _) => ModelCliErrors.Guard(() => Run(output.Value, r.GetValue(model)!, r.GetValue(adapter)!, r.GetValue(directory)!, r.GetValue(force))));
        return command;
    }

    private static int Run(CommandOutput output, string modelDirectory, string adapterDirectory, string outputDirectory, bool force)
    {
        if (!Directory.Exists(modelDirectory)) throw new DirectoryNotFoundException($"Model folder '{Path.GetFullPath(modelDirectory)}' does not exist.");
        if (!Directory.Exists(adapterDirectory)) throw new DirectoryNotFoundException($"Adapter folder '{Path.GetFullPath(adapterDirectory)}' does not exist.");
        if (Directory.Exists(outputDirectory) && Directory.EnumerateFileSystemEntries(outputDirectory).Any() && !force)
            throw new ArgumentException($"'{Path.GetFullPath(outputDirectory)}' already has files; choose a new or empty folder, or pass --force to write over them.");
        var configPath = PeftFiles.Require(adapterDirectory, PeftFiles.ConfigFileName);
        var peftType = PeftConfigJson.ReadPeftType(File.ReadAllText(configPath), configPath);
        if (peftType is PeftConfigJson.PromptTuningType or PeftConfigJson.PTuningType or PeftConfigJson.PrefixTuningType or PeftConfigJson.BottleneckType)
            throw new ArgumentException($"{configPath}: peft_type \"{peftType}\" is an additive adapter (virtual tokens, key/value prefixes or new modules) and has " +
                $"no weights to merge into; use it with --adapter on generate or model perplexity instead. Mergeable: LORA, IA3, LN_TUNING.");
        var result = AdapterMerging.MergeToDirectory(modelDirectory, adapterDirectory, outputDirectory);
        output.Console.MarkupLine($"[green]merged[/] {result.MergedLayers.Count} adapter layers into {Markup.Escape(Path.GetFullPath(result.OutputDirectory))}");
        output.Console.MarkupLine("copied: " + Markup.Escape(result.CopiedFiles.Count == 0 ? "(no tokenizer files found)" : string.Join(", ", result.CopiedFiles)));
        return 0;
    }
}
