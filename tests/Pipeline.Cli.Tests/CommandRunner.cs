using System.CommandLine;
using Pipeline.Cli.Commands.Model;
using Spectre.Console;

namespace Pipeline.Cli.Tests;

/// <summary>Runs the model commands through System.CommandLine as Program.cs wires them, recording what they print.</summary>
internal sealed class CommandRunner
{
    /// <summary>Tables and messages (no colours, no wrapping surprises: a plain console of default width).</summary>
    public StringWriter Console { get; } = new();

    /// <summary>What scripts read: --json objects and generated text.</summary>
    public StringWriter Data { get; } = new();

    public async Task<int> RunAsync(params string[] args)
    {
        var output = new CommandOutput(AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(Console),
        }), Data);
        var root = new RootCommand("test");
        foreach (var command in ModelCommands.Create(output)) root.Subcommands.Add(command);
        return await root.Parse(args).InvokeAsync();
    }

    public static Task<int> RunQuietAsync(params string[] args) => new CommandRunner().RunAsync(args);
}
