namespace Pipeline.Cleaning;

/// <summary>
/// A cleaning option has a value outside what it allows. The message names the option (as
/// <c>Record.Property</c>), the value given and the allowed values, so a run config can be fixed
/// without reading this code.
/// </summary>
public sealed class InvalidCleaningOptionException : ArgumentException
{
    public InvalidCleaningOptionException(string option, object? value, string allowed)
        : base($"{option} is {Describe(value)}; allowed: {allowed}.")
    {
        Option = option;
    }

    /// <summary>The option at fault, e.g. <c>NearDuplicateOptions.Threshold</c>.</summary>
    public string Option { get; }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "?",
    };
}
