using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Pipeline.Data.Readers;

namespace Pipeline.Data.Ingestion;

/// <summary>Settings of one ingestion run. Every default is what the quickstart uses.</summary>
public sealed record IngestionOptions
{
    /// <summary>The files to read, in order (order decides which of two duplicates is kept: the first).</summary>
    public required IReadOnlyList<DatasetInput> Inputs { get; init; }

    /// <summary>Share of examples held out for validation: 5% is enough to track loss on a small dataset.</summary>
    public double ValidationFraction { get; init; } = 0.05;

    /// <summary>Seed of the train/validation hash; change it for a different split of the same data.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>Rows per shard file; also how often a checkpoint is made (a shard boundary is a checkpoint).</summary>
    public int ShardSize { get; init; } = 10_000;

    /// <summary>Bad rows cited per reason in the data card (all are counted).</summary>
    public int MaxReportedBadRows { get; init; } = 5;

    /// <summary>Dropped rows cited per reason in the data card (all are counted).</summary>
    public int MaxDropExamplesPerReason { get; init; } = 5;

    /// <summary>Shortest message kept, in characters after normalization: 1 drops only empty turns.</summary>
    public int MinCharsPerMessage { get; init; } = 1;

    /// <summary>Longest message kept, in characters; null for no limit.</summary>
    public int? MaxCharsPerMessage { get; init; }

    /// <summary>Throws naming every setting that is out of range and what is allowed.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (Inputs.Count == 0) problems.Add("inputs: at least one input file is required");
        if (Inputs.Any(i => string.IsNullOrWhiteSpace(i.Path))) problems.Add("inputs: every input needs a path");
        if (ValidationFraction is < 0 or >= 1 || double.IsNaN(ValidationFraction)) problems.Add($"validation_fraction is {ValidationFraction}; allowed: 0 <= value < 1");
        if (ShardSize < 1) problems.Add($"shard_size is {ShardSize}; allowed: at least 1 row");
        if (MaxReportedBadRows < 0) problems.Add($"max_reported_bad_rows is {MaxReportedBadRows}; allowed: 0 or more");
        if (MaxDropExamplesPerReason < 0) problems.Add($"max_drop_examples_per_reason is {MaxDropExamplesPerReason}; allowed: 0 or more");
        if (MinCharsPerMessage < 0) problems.Add($"min_chars_per_message is {MinCharsPerMessage}; allowed: 0 or more");
        if (MaxCharsPerMessage is { } max && max < Math.Max(1, MinCharsPerMessage)) problems.Add($"max_chars_per_message is {max}; allowed: at least min_chars_per_message ({MinCharsPerMessage}) and 1");
        if (problems.Count > 0) throw new ArgumentException("Invalid ingestion options: " + string.Join("; ", problems) + ".");
    }

    /// <summary>
    /// A hash of everything that shapes the output, so that a checkpoint is never resumed under other settings (the
    /// result would be neither the old run nor the new one).
    /// </summary>
    public string Fingerprint(IEnumerable<string> filterNames)
    {
        var text = new StringBuilder();
        // The name and size, not the local path: a replica that takes over may have fetched the inputs elsewhere.
        foreach (var input in Inputs)
            text.Append(CultureInfo.InvariantCulture, $"input={input.Name}|{new FileInfo(input.Path).Length}|{DataFormats.Name(input.Format)}\n");
        text.Append(CultureInfo.InvariantCulture, $"validation={ValidationFraction:R}\nseed={Seed}\nshard={ShardSize}\n");
        text.Append(CultureInfo.InvariantCulture, $"bad={MaxReportedBadRows}\ndrops={MaxDropExamplesPerReason}\nmin={MinCharsPerMessage}\nmax={MaxCharsPerMessage}\n");
        foreach (var name in filterNames) text.Append(CultureInfo.InvariantCulture, $"filter={name}\n");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
