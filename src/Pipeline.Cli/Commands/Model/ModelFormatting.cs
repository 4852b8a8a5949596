using System.Globalization;

namespace Pipeline.Cli.Commands.Model;

/// <summary>Human-readable counts and sizes for the model commands' tables.</summary>
public static class ModelFormatting
{
    /// <summary>1234 → "1,234"; 12_345_678 → "12.3M"; 1_500_000_000 → "1.50B".</summary>
    public static string Count(long value) => value switch
    {
        < 1_000_000 => value.ToString("N0", CultureInfo.InvariantCulture),
        < 1_000_000_000 => (value / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + "M",
        _ => (value / 1e9).ToString("0.00", CultureInfo.InvariantCulture) + "B",
    };

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KiB",
        < 1024L * 1024 * 1024 => (bytes / 1024.0 / 1024).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
        _ => (bytes / 1024.0 / 1024 / 1024).ToString("0.##", CultureInfo.InvariantCulture) + " GiB",
    };
}
