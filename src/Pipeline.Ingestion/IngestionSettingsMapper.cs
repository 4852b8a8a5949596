using Pipeline.Cleaning.ExampleFilters;
using Pipeline.Cleaning.NearDuplicates;
using Pipeline.Cleaning.Pii;
using Pipeline.Cleaning.Quality;
using Pipeline.Configuration;
using Pipeline.Configuration.Ingest;
using Pipeline.Data.Filters;
using Pipeline.Data.Ingestion;
using Pipeline.Data.Readers;

namespace Pipeline.Ingestion;

/// <summary>From the run config's ingest section to the dataset builder's options and cleaning filters.</summary>
public static class IngestionSettingsMapper
{
    public static IngestionOptions ToOptions(IngestSettings settings, IReadOnlyList<DatasetInput> inputs) => new()
    {
        Inputs = inputs,
        ValidationFraction = settings.ValidationFraction,
        Seed = (ulong)(settings.Seed ?? 42),
        ShardSize = settings.ShardSize,
    };

    /// <summary>
    /// The cleaning filters in the order that loses least: quality first (a bad row is not worth scrubbing),
    /// then PII (so near-duplicates are judged on what will be written), then near-duplicates.
    /// </summary>
    public static IReadOnlyList<IExampleFilter> Filters(IngestSettings settings)
    {
        var filters = new List<IExampleFilter> { new QualityExampleFilter(Quality(settings.Quality)) };
        if (settings.Pii.Enabled) filters.Add(new PiiExampleFilter(Pii(settings.Pii, (ulong)(settings.Seed ?? 42))));
        if (settings.NearDuplicates.Enabled) filters.Add(new NearDuplicateExampleFilter(NearDuplicates(settings.NearDuplicates)));
        return filters;
    }

    public static QualityOptions Quality(QualitySettings q)
    {
        var disabled = new List<string>();
        if (q.AllowedScripts.Count == 0) disabled.Add(DropReasons.ScriptMismatch);
        if (!q.DropRefusals) disabled.Add(DropReasons.RefusalOnly);
        return new QualityOptions
        {
            MinTokens = q.MinTokens,
            MaxTokens = q.MaxTokens,
            AllowedScripts = q.AllowedScripts.Count == 0 ? ["Latin"] : q.AllowedScripts.Select(s => s.ToString()).ToList(),
            MaxRepeatedNGramFraction = q.MaxRepeatedNGramFraction,
            MaxSymbolToLetterRatio = q.MaxSymbolRatio,
            DisabledFilters = disabled,
        };
    }

    /// <param name="seed">The run's seed: surrogate names are drawn with it, so a rerun writes the same ones.</param>
    public static PiiOptions Pii(PiiSettings p, ulong seed = 42) => new()
    {
        EnabledTypes = p.Types.Distinct().ToList(),
        PersonNames = p.Types.Contains(PiiType.Name) ? [.. DefaultPersonNames.All, .. p.Names] : [],
        DiscoverNamesFromGreetingsAndSignatures = p.Types.Contains(PiiType.Name),
        UseNameGazetteer = p.Types.Contains(PiiType.Name),
        NameReplacement = p.NamePolicy,
        SurrogateSeed = seed,
    };

    public static NearDuplicateOptions NearDuplicates(NearDuplicateSettings n) => new()
    {
        Unit = n.Shingle,
        ShingleSize = n.ShingleSize,
        Permutations = n.Permutations,
        Bands = n.Bands,
        Rows = n.Permutations / n.Bands,
        Threshold = n.Threshold,
    };
}
