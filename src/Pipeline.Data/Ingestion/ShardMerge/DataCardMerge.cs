using Pipeline.Data.Cards;

namespace Pipeline.Data.Ingestion.ShardMerge;

/// <summary>
/// Adds a shard's data card to the run's. Shards are added in input order, so the first citations per reason kept
/// here are the first of the whole input, as a single pass would cite them.
/// </summary>
public static class DataCardMerge
{
    public static void Add(DataCard target, InputSummary input, DataCard shard, int maxReportedBadRows, int maxDropExamples)
    {
        target.RowsRead += shard.RowsRead;
        target.BadRows += shard.BadRows;
        target.DroppedRows += shard.DroppedRows;
        foreach (var part in shard.Inputs)
        {
            input.RowsRead += part.RowsRead;
            input.BadRows += part.BadRows;
            input.Dropped += part.Dropped;
        }
        Merge(target.BadRowReasons, shard.BadRowReasons, maxReportedBadRows);
        Merge(target.Drops, shard.Drops, maxDropExamples);
        foreach (var (name, value) in shard.Counters) target.AddCounter(name, value);
    }

    private static void Merge(SortedDictionary<string, ReasonSummary> target, SortedDictionary<string, ReasonSummary> source, int max)
    {
        foreach (var (reason, part) in source)
        {
            if (!target.TryGetValue(reason, out var summary)) target[reason] = summary = new ReasonSummary();
            summary.Count += part.Count;
            foreach (var row in part.Examples)
                if (summary.Examples.Count < max) summary.Examples.Add(row);
        }
    }
}
