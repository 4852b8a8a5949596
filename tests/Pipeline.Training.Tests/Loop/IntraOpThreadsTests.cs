using TorchSharp;

namespace Pipeline.Training.Tests.Loop;

/// <summary>
/// Exact resume compares bits between runs, which holds only while reductions split the same way every time: this
/// project's csproj fixes two intra-op threads for the shared TorchTestSetup (the other test projects run on one).
/// </summary>
public sealed class IntraOpThreadsTests
{
    [Fact]
    public void The_training_tests_run_on_the_two_threads_their_project_fixes() => Assert.Equal(2, torch.get_num_threads());
}
