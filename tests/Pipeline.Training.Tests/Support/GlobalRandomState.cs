namespace Pipeline.Training.Tests.Support;

/// <summary>
/// Tests that depend on torch's global generator (dropout draws restored from a checkpoint) run alone: a test class
/// running in parallel would draw from the same generator and change what they compare.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalRandomState
{
    public const string Name = "torch global RNG";
}
