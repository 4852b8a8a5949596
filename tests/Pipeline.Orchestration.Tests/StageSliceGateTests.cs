using Pipeline.Orchestration.Stages;

namespace Pipeline.Orchestration.Tests;

public class StageSliceGateTests
{
    private static readonly Guid RunId = Guid.NewGuid();

    [Fact]
    public async Task A_second_delivery_of_a_running_slice_waits_until_the_first_ends()
    {
        var gate = new StageSliceGate();
        var first = await gate.EnterAsync(RunId, "sft", CancellationToken.None);

        var second = gate.EnterAsync(RunId, "sft", CancellationToken.None);
        var other = await gate.EnterAsync(RunId, "ingest", CancellationToken.None); // another stage is not held up
        Assert.False(second.IsCompleted);

        first.Dispose();
        (await second).Dispose();
        other.Dispose();
    }

    [Fact]
    public async Task Disposing_twice_releases_once()
    {
        var gate = new StageSliceGate();
        var first = await gate.EnterAsync(RunId, "sft", CancellationToken.None);
        first.Dispose();
        first.Dispose();
        var second = await gate.EnterAsync(RunId, "sft", CancellationToken.None);
        Assert.False(gate.EnterAsync(RunId, "sft", CancellationToken.None).IsCompleted);
        second.Dispose();
    }
}
