namespace Pipeline.Data.Splitting;

public enum DatasetSplit
{
    Train,
    Validation,
}

public static class DatasetSplits
{
    /// <summary>The shard file prefix: "train", "validation".</summary>
    public static string Name(DatasetSplit split) => split == DatasetSplit.Train ? "train" : "validation";
}
