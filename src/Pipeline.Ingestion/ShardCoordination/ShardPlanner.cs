using Pipeline.Artifacts;
using Pipeline.Configuration;
using Pipeline.Configuration.Ingest;
using Pipeline.Contracts;
using Pipeline.Data.Ingestion.ShardMerge;
using Pipeline.Data.Readers;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Ingestion.ShardCoordination;

/// <summary>
/// Decides whether a run is sharded and cuts its inputs: JSON Lines at line boundaries into slices of about
/// <see cref="IngestSettings.ParallelShardBytes"/> (each uploaded as its own small artifact, so a replica fetches
/// only its shard), other formats one shard per file (their records may span lines). Null when fewer than two
/// shards would result: one replica does that as fast, and keeps the single pass.
/// </summary>
internal static class ShardPlanner
{
    private const int CopyBufferBytes = 1 << 20;

    public static async Task<ShardPlan?> PlanAsync(StageContext context, IngestSettings settings, IReadOnlyList<FetchedInput> inputs, CancellationToken ct)
    {
        var sizes = inputs.Select(i => new FileInfo(i.Input.Path).Length).ToArray();
        if (sizes.Sum() <= settings.ParallelShardBytes) return null;

        var planned = new List<PlannedInput>();
        for (int i = 0; i < inputs.Count; i++)
        {
            var format = await DetectAsync(inputs[i].Input, ct).ConfigureAwait(false);
            planned.Add(new PlannedInput(inputs[i].Input.Name, format.RecordFormat, format.Container, sizes[i]));
        }
        if (planned.Where(p => p.Container == DataContainer.JsonLines).Sum(p => p.Bytes) <= settings.ParallelShardBytes) return null;

        // Cut first, upload only once sharding is decided.
        var cuts = new List<(int Input, InputRange? Range)>();
        for (int i = 0; i < inputs.Count; i++)
        {
            if (planned[i].Container != DataContainer.JsonLines)
            {
                cuts.Add((i, null));
                continue;
            }
            var ranges = JsonLinesSplitter.Split(inputs[i].Input.Path, settings.ParallelShardBytes);
            if (ranges.Count == 1) cuts.Add((i, null));
            else cuts.AddRange(ranges.Select(r => (i, (InputRange?)r)));
        }
        if (cuts.Count < 2) return null;

        var shards = new List<PlannedShard>();
        foreach (var (input, range) in cuts)
        {
            int index = shards.Count;
            shards.Add(range is null
                ? new PlannedShard(index, input, inputs[input].ArtifactId, inputs[input].File, 1, sizes[input])
                : await UploadSliceAsync(context, index, input, inputs[input], range, ct).ConfigureAwait(false));
        }
        return new ShardPlan { Inputs = planned, Shards = shards };
    }

    private static async Task<DetectedFormat> DetectAsync(DatasetInput input, CancellationToken ct)
    {
        try
        {
            return await FormatDetector.DetectAsync(input, ct).ConfigureAwait(false);
        }
        catch (DataFormatException error)
        {
            // As the single pass reports it: the file by the name it was submitted under, not a local copy's path.
            throw new StageFailedException(error.Message.Replace(input.Path, input.Name, StringComparison.Ordinal), error);
        }
    }

    private static async Task<PlannedShard> UploadSliceAsync(StageContext context, int index, int inputIndex, FetchedInput input, InputRange range, CancellationToken ct)
    {
        var id = ShardArtifacts.InputSliceId(context.RunId, index);
        var writer = await context.Artifacts.CreateAsync(id, new ArtifactInfo
        {
            Kind = ArtifactKind.Dataset, ProducerStage = context.Stage, RunId = context.RunId, ConfigHash = context.ConfigHash, Parents = [input.ArtifactId],
        }, ct).ConfigureAwait(false);
        await using var writerScope = writer.ConfigureAwait(false);
        {
            var target = await writer.OpenWriteAsync(ShardArtifacts.SliceFile, ct).ConfigureAwait(false);
            await using (target.ConfigureAwait(false))
            {
                var source = new FileStream(input.Input.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
                await using (source.ConfigureAwait(false))
                {
                    source.Seek(range.Start, SeekOrigin.Begin);
                    var buffer = new byte[CopyBufferBytes];
                    for (long left = range.Length; left > 0;)
                    {
                        int read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), ct).ConfigureAwait(false);
                        if (read == 0) throw new IOException($"{input.Input.Name} ended at byte {range.End - left} while cutting shard {index} ({range.Start}–{range.End}); was it changed?");
                        await target.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                        left -= read;
                    }
                }
            }
        }
        await writer.CommitAsync(ct).ConfigureAwait(false);
        return new PlannedShard(index, inputIndex, id, ShardArtifacts.SliceFile, range.FirstLine, range.Length);
    }
}
