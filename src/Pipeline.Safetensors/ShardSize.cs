using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipeline.Safetensors;

/// <summary>Shard size limits written as Hugging Face writes them ("5GB", "500MB", "2GiB").</summary>
public static partial class ShardSize
{
    /// <summary>transformers' default max_shard_size, "5GB" = 5·10⁹ bytes (decimal, as huggingface_hub counts).</summary>
    public const long Default = 5_000_000_000;

    /// <summary>
    /// Parses "5GB" (10⁹), "500MB", "100KB", "1TB" (decimal, like huggingface_hub), "2GiB", "512MiB"
    /// (binary), or a plain byte count. Case-insensitive; fractions allowed ("0.5GB").
    /// </summary>
    public static long Parse(string text)
    {
        var match = SizePattern().Match(text);
        if (!match.Success)
            throw new FormatException(
                $"'{text}' is not a size; write a number of bytes or a number with KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024), e.g. \"5GB\".");
        var number = decimal.Parse(match.Groups["number"].Value, CultureInfo.InvariantCulture);
        var multiplier = match.Groups["unit"].Value.ToUpperInvariant() switch
        {
            "" or "B" => 1L,
            "KB" => 1_000L,
            "MB" => 1_000_000L,
            "GB" => 1_000_000_000L,
            "TB" => 1_000_000_000_000L,
            "KIB" => 1L << 10,
            "MIB" => 1L << 20,
            "GIB" => 1L << 30,
            _ => 1L << 40,
        };
        var bytes = decimal.Truncate(number * multiplier);
        if (bytes < 1 || bytes > long.MaxValue)
            throw new FormatException($"'{text}' is {bytes} bytes; a shard size must be between 1 byte and {long.MaxValue}.");
        return (long)bytes;
    }

    [GeneratedRegex(@"^\s*(?<number>\d+(\.\d+)?)\s*(?<unit>[KMGT]i?B|B)?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();
}
