using Pipeline.Cleaning.ExampleFilters;
using Pipeline.Configuration;
using Pipeline.Configuration.Ingest;
using Pipeline.Data;
using Pipeline.Data.Normalization;
using Pipeline.Data.Readers;
using Pipeline.Ingestion;

namespace Pipeline.Bench.Cleaning;

/// <summary>
/// Each cleaning step alone, on one thread, over the whole corpus held in memory (so each is billed only for its
/// own work): MB of the input file per second on one core. Every step runs on the examples as the ingest stage hands
/// them to it (normalized, and for MinHash and the hash, scrubbed).
/// </summary>
internal static class StepBench
{
    public static async Task<IReadOnlyList<Measurement>> RunAsync(string corpus)
    {
        long bytes = new FileInfo(corpus).Length;
        var results = new List<Measurement>();
        var read = new List<Example>();
        var format = await FormatDetector.DetectAsync(new DatasetInput(corpus, DataFormat.Alpaca));
        long bad = 0;
        results.Add(await Measurement.TimeAsync("read + parse (JSON Lines → examples)", bytes, 1, async () =>
        {
            await foreach (var result in DatasetReader.ReadAsync(corpus, format))
                if (result.Example is { } example) read.Add(example);
                else bad++;
        }));
        results[^1] = results[^1] with { Note = $"{read.Count:N0} rows, {bad} bad" };

        var normalized = new Example[read.Count];
        results.Add(Measurement.Time("normalize (NFC, whitespace, invisibles)", bytes, 1, () =>
        {
            for (int i = 0; i < read.Count; i++) normalized[i] = CanonicalText.Normalize(read[i]);
        }));

        // The ingest stage's defaults, as the run config maps them.
        var quality = new QualityExampleFilter(IngestionSettingsMapper.Quality(new QualitySettings()));
        int dropped = 0;
        results.Add(Measurement.Time("quality filters (defaults)", bytes, 1, () =>
        {
            foreach (var example in normalized) if (!quality.Apply(example).IsKept) dropped++;
        }));
        results[^1] = results[^1] with { Note = $"{dropped:N0} dropped" };

        var pii = new PiiExampleFilter(IngestionSettingsMapper.Pii(new PiiSettings()));
        var scrubbed = new Example[normalized.Length];
        long replaced = 0;
        results.Add(Measurement.Time("PII scrub (e-mail, phone, card, IBAN, IP, credentials, secrets)", bytes, 1, () =>
        {
            for (int i = 0; i < normalized.Length; i++)
            {
                var verdict = pii.Apply(normalized[i]);
                scrubbed[i] = verdict.Kept!;
                replaced += verdict.Counters.Values.Sum();
            }
        }));
        results[^1] = results[^1] with { Note = $"{replaced:N0} replaced" };

        var nearDuplicates = new NearDuplicateExampleFilter();
        results.Add(Measurement.Time("MinHash signatures (word 5-grams, 128 permutations)", bytes, 1, () =>
        {
            foreach (var example in scrubbed) nearDuplicates.Sign(example);
        }));

        UInt128 combined = 0;
        results.Add(Measurement.Time("exact content hash (SHA-256/128)", bytes, 1, () =>
        {
            foreach (var example in scrubbed) combined ^= ExampleHasher.ContentHash(example);
        }));
        return results;
    }
}
