namespace Pipeline.Data.Filters;

/// <summary>
/// A stateful filter that also runs in two passes, so that ingestion can be sharded across replicas:
/// <see cref="Sign"/> is the costly per-example part (pure, thread-safe, run wherever the example is cleaned),
/// and <see cref="Decide"/> the cheap stateful part, run once per example in global input order on the
/// signature alone (the text is not needed again). For every example, <c>Apply(e)</c> must give the same
/// verdict as <c>Decide(e.Id, Sign(e))</c>; the filter never changes an example it keeps.
/// </summary>
public interface ISignatureExampleFilter : IStatefulExampleFilter
{
    /// <summary>Values per signature; the same for every example under the filter's options.</summary>
    int SignatureLength { get; }

    ulong[] Sign(Example example);

    /// <summary>Null to keep the example; otherwise the drop, as <see cref="IExampleFilter.Apply"/> would report it.</summary>
    SignatureDrop? Decide(string exampleId, ulong[] signature);
}

/// <summary>Why <see cref="ISignatureExampleFilter.Decide"/> dropped an example: a data-card reason and a detail for people.</summary>
public sealed record SignatureDrop(string Reason, string Detail);
