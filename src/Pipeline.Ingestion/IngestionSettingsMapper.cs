using Pipeline.Configuration;
using Pipeline.Data.Filters;
using Pipeline.Data.Ingestion;
using Pipeline.Data.Readers;

namespace Pipeline.Ingestion;

/// <summary>From the run config's ingest section to the dataset builder's options and cleaning filters.</summary>
internal static class IngestionSettingsMapper
{
    public static IngestionOptions ToOptions(IngestSettings settings, IReadOnlyList<DatasetInput> inputs) => new()
    {
        Inputs = inputs,
        ValidationFraction = settings.ValidationFraction,
        Seed = (ulong)(settings.Seed ?? 42),
        ShardSize = settings.ShardSize,
    };

    public static IReadOnlyList<IExampleFilter> Filters(IngestSettings settings) => [];
}
