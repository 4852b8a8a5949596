using Spectre.Console;

namespace Pipeline.Cli.Commands.Model;

/// <summary>
/// Where the model commands write: <see cref="Console"/> for tables and messages, <see cref="Data"/> for what a
/// script reads (--json objects, generated text), written verbatim so no markup or line wrapping touches it.
/// </summary>
public sealed record CommandOutput(IAnsiConsole Console, TextWriter Data)
{
    public static CommandOutput Standard() => new(AnsiConsole.Console, System.Console.Out);
}
