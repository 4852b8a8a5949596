namespace Pipeline.IntegrationTests.Infrastructure;

/// <summary>
/// Fault tests run one at a time: each starts servers of its own and kills or stops them, and their timing (a stage
/// still running when the fault hits) should not depend on how many other heavy tests share the two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection
{
    public const string Name = "faults";
}
