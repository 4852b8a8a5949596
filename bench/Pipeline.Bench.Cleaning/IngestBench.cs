using Pipeline.Cleaning.ShardCleaning;
using Pipeline.Configuration;
using Pipeline.Configuration.Ingest;
using Pipeline.Data.Ingestion;
using Pipeline.Data.Ingestion.ShardMerge;
using Pipeline.Data.Readers;
using Pipeline.Data.Sinks;
using Pipeline.Ingestion;

namespace Pipeline.Bench.Cleaning;

/// <summary>Whole ingestion in this process, with the ingest stage's default settings and filters.</summary>
internal static class IngestBench
{
    private static readonly IngestSettings Settings = new() { Inputs = [new IngestInput { Path = "tickets.jsonl" }] };

    /// <summary>The single pass (<see cref="DatasetBuilder"/>): read, clean, dedup, split, write shards and card; one thread.</summary>
    public static async Task<Measurement> SinglePassAsync(string corpus, string output)
    {
        var options = IngestionSettingsMapper.ToOptions(Settings, [new DatasetInput(corpus, DataFormat.Alpaca, "tickets.jsonl")]);
        IngestionResult? result = null;
        var measured = await Measurement.TimeAsync("whole single-pass ingest (DatasetBuilder, every step, files written)", new FileInfo(corpus).Length, 1, async () =>
            result = await new DatasetBuilder(options, new FolderDatasetSink(output), IngestionSettingsMapper.Filters(Settings)).RunAsync());
        return measured with { Note = $"{result!.Card.TrainRows + result.Card.ValidationRows:N0} kept" };
    }

    /// <summary>One shard worker's first pass over the whole corpus on every core (<see cref="ShardCleaner"/>).</summary>
    public static async Task<Measurement> ShardCleanerAllCoresAsync(string corpus, string output)
    {
        var input = new DatasetInput(corpus, DataFormat.Alpaca, "tickets.jsonl");
        var options = IngestionSettingsMapper.ToOptions(Settings, [input]);
        var filters = ShardFilters.TrySplit(options, IngestionSettingsMapper.Filters(Settings))!;
        var format = await FormatDetector.DetectAsync(input);
        ShardCleaningResult? result = null;
        var measured = await Measurement.TimeAsync("shard cleaning on all cores (ShardCleaner: every per-row step + signatures, in-process)",
            new FileInfo(corpus).Length, Environment.ProcessorCount, async () =>
                result = await new ShardCleaner(options, filters).CleanAsync(new ShardSource(corpus, format, "tickets.jsonl"), output));
        return measured with { Note = $"{result!.Candidates:N0} passed on to the merge" };
    }
}
