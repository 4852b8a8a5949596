using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Modeling.Configuration;
using Pipeline.Safetensors;
using Pipeline.Tokenizers;

namespace Pipeline.Cli.Commands.Model;

/// <summary>
/// The model commands' failures a person can fix (a bad config.json, a checkpoint that does not match it, a broken
/// tokenizer or data file) become a <see cref="CliException"/>, which <see cref="CliErrors.GuardAsync"/> prints as
/// "error: ..." with exit code 1.
/// </summary>
internal static class ModelCliErrors
{
    public static Task<int> GuardAsync(Func<Task<int>> action) => CliErrors.GuardAsync(async () =>
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (ex is ModelConfigException or CheckpointMismatchException or TokenizerFormatException
                                       or SafetensorsFormatException or AdapterConfigException or FormatException or NotSupportedException)
        {
            throw new CliException(ex.Message);
        }
    });

    /// <summary>Guards a synchronous, compute-bound action.</summary>
    public static Task<int> Guard(Func<int> action) => GuardAsync(() => Task.FromResult(action()));
}
