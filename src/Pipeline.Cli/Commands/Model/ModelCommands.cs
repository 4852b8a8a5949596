using System.CommandLine;

namespace Pipeline.Cli.Commands.Model;

/// <summary>
/// The model commands: <c>pipeline model init|inspect|perplexity|merge|quantize</c>, <c>pipeline generate</c> and <c>pipeline serve</c>.
/// Program.cs adds each returned command to the root.
/// </summary>
public static class ModelCommands
{
    public static IEnumerable<Command> Create() => Create(null);

    /// <param name="output">Where to write; null: the process's console (tests pass a recording one).</param>
    public static IEnumerable<Command> Create(CommandOutput? output)
    {
        var resolvedOutput = new Lazy<CommandOutput>(() => output ?? CommandOutput.Standard());
        var model = new Command("model", "Create, inspect, evaluate, merge and quantize models in the Hugging Face layout.");
        model.Subcommands.Add(ModelInitCommand.Create(resolvedOutput));
        model.Subcommands.Add(ModelInspectCommand.Create(resolvedOutput));
        model.Subcommands.Add(ModelPerplexityCommand.Create(resolvedOutput));
        model.Subcommands.Add(ModelMergeCommand.Create(resolvedOutput));
        model.Subcommands.Add(ModelQuantizeCommand.Create(resolvedOutput));
        return [model, GenerateCommand.Create(resolvedOutput), Serving.ServeCommand.Create(resolvedOutput)];
    }
}
