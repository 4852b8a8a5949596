using System.CommandLine;
using Pipeline.Modeling.Adapters;
using Spectre.Console;

namespace Pipeline.Cli.Commands.Model;

/// <summary><c>pipeline model merge --model DIR --adapter DIR OUT</c>: a LoRA adapter folded into its base as a plain model folder.</summary>
internal static class ModelMergeCommand
{
    public static Command Create(Lazy<CommandOutput> output)
    {
        var model = ModelOptions.Model();
        var adapter = new Option<string>("--adapter") { Description = "The PEFT LoRA adapter folder (also what QLoRA training saves).", Required = true };
        var directory = new Argument<string>("OUT") { Description = "Folder for the merged model (new or empty)." };
        var force = new Option<bool>("--force") { Description = "Write into a folder that already has files." };
        var command = new Command("merge", "Merge a LoRA adapter into its base model: W + (alpha/r)·B·A, saved as a plain Hugging Face model folder.")
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
        if (PeftConfigJson.ReadPeftType(File.ReadAllText(configPath), configPath) == PeftConfigJson.PromptTuningType)
            throw new ArgumentException($"{configPath}: a prompt-tuning adapter adds virtual tokens in front of the input and has no weights to merge; " +
                "use it with --adapter on generate or model perplexity instead.");
        var result = AdapterMerging.MergeToDirectory(modelDirectory, adapterDirectory, outputDirectory);
        output.Console.MarkupLine($"[green]merged[/] {result.MergedLayers.Count} LoRA layers into {Markup.Escape(Path.GetFullPath(result.OutputDirectory))}");
        output.Console.MarkupLine("copied: " + Markup.Escape(result.CopiedFiles.Count == 0 ? "(no tokenizer files found)" : string.Join(", ", result.CopiedFiles)));
        return 0;
    }
}
