namespace Pipeline.Data.Filters;

/// <summary>
/// One cleaning step of ingestion (near-duplicates, PII, quality, length...). It sees each normalized example once,
/// in input order, and keeps it (possibly transformed) or drops it with a reason that the data card counts.
/// Filters must be deterministic: a resumed run has to make the same decisions as an uninterrupted one.
/// </summary>
public interface IExampleFilter
{
    /// <summary>A stable name ("min_hash", "pii"): listed in the data card and part of the checkpoint's options fingerprint.</summary>
    string Name { get; }

    ExampleVerdict Apply(Example example);
}

/// <summary>
/// A filter that remembers what it has seen (a near-duplicate index, say). Its state is saved into every ingestion
/// checkpoint and restored on resume, so a resumed run decides as an uninterrupted one would.
/// </summary>
public interface IStatefulExampleFilter : IExampleFilter
{
    byte[] SaveState();

    void RestoreState(ReadOnlySpan<byte> state);
}

/// <summary>A filter that adds its own tables to the data card when ingestion completes.</summary>
public interface IDataCardContributor
{
    void Contribute(Cards.DataCard card);
}
