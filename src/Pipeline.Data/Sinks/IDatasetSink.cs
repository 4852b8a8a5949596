namespace Pipeline.Data.Sinks;

/// <summary>
/// Where ingestion writes its files (shards, data card): "open a stream for relative path X". The stage points it at
/// an artifact writer; <see cref="FolderDatasetSink"/> writes to a local folder. A resumed run may open a path again
/// that a crashed run left incomplete: the sink must replace it.
/// </summary>
public interface IDatasetSink
{
    Task<Stream> OpenWriteAsync(string relativePath, CancellationToken ct);
}

/// <summary>A sink over a delegate, e.g. <c>path => artifactWriter.OpenWrite(path)</c>.</summary>
public sealed class DelegateDatasetSink(Func<string, Stream> open) : IDatasetSink
{
    public Task<Stream> OpenWriteAsync(string relativePath, CancellationToken ct) => Task.FromResult(open(relativePath));
}
