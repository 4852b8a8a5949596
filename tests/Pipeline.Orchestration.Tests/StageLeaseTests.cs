using Pipeline.Artifacts.State;
using Pipeline.Contracts;
using Pipeline.Orchestration.Stages;
using Pipeline.Orchestration.State;

namespace Pipeline.Orchestration.Tests;

public class StageLeaseTests
{
    private readonly JsonDocumentCollection<StageRecord> records = new(new InMemoryDocumentStore(), "stages");
    private static readonly Guid RunId = Guid.NewGuid();

    private static StageRuntimeOptions Worker(string id) => new()
    {
        WorkerId = id, LeaseDuration = TimeSpan.FromMilliseconds(400), HeartbeatInterval = TimeSpan.FromMilliseconds(100),
    };

    private static RunIngestion Command(int slice = 0) => new() { RunId = RunId, SettingsJson = "{}", Slice = slice };

    private Task<(StageClaimResult Result, StageLease? Lease, StageRecord? Record)> Claim(string worker, int slice = 0) =>
        StageLease.ClaimAsync(records, Command(slice), StageNames.Ingest, Worker(worker), TimeProvider.System, CancellationToken.None);

    [Fact]
    public async Task The_first_delivery_claims_the_stage()
    {
        var (result, lease, _) = await Claim("a");
        Assert.Equal(StageClaimResult.Claimed, result);
        Assert.Equal("a", lease!.Record.Owner);
        Assert.Null(lease.TookOverFrom);
        Assert.Equal(1, lease.Record.Attempts);
    }

    [Fact]
    public async Task A_duplicate_while_the_owner_keeps_renewing_is_dropped()
    {
        var (_, lease, _) = await Claim("a");
        using var stop = new CancellationTokenSource();
        var heartbeat = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await lease!.RenewAsync(CancellationToken.None);
                await Task.Delay(100);
            }
        });
        var (result, _, _) = await Claim("b");
        await stop.CancelAsync();
        await heartbeat;
        Assert.Equal(StageClaimResult.Duplicate, result);
    }

    [Fact]
    public async Task A_dead_owners_lease_runs_out_and_another_replica_takes_over()
    {
        var (_, dead, _) = await Claim("a");
        var (result, lease, _) = await Claim("b");
        Assert.Equal(StageClaimResult.Claimed, result);
        Assert.Equal("a", lease!.TookOverFrom);
        Assert.Equal(2, lease.Record.Attempts);
        Assert.False(await dead!.RenewAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_delivery_retried_in_the_same_replica_claims_its_own_lease_at_once_and_is_no_takeover()
    {
        // The first try stopped on a storage outage without writing; the retried delivery comes back to the same replica.
        await Claim("a");
        var (result, lease, _) = await Claim("a");
        Assert.Equal(StageClaimResult.Claimed, result);
        Assert.Null(lease!.TookOverFrom);
        Assert.Equal(2, lease.Record.Attempts);
    }

    [Fact]
    public async Task A_command_for_an_older_slice_is_dropped_and_a_finished_stage_is_reported_finished()
    {
        var (_, lease, _) = await Claim("a");
        await lease!.YieldAsync(CancellationToken.None);
        Assert.Equal(StageClaimResult.Duplicate, (await Claim("b", slice: 0)).Result);

        var (result, next, _) = await Claim("b", slice: 1);
        Assert.Equal(StageClaimResult.Claimed, result);
        Assert.Null(next!.TookOverFrom);
        await next.CompleteAsync(new Dictionary<string, ArtifactRef>(), new Dictionary<string, double> { ["x"] = 1 }, CancellationToken.None);

        var (again, _, record) = await Claim("c", slice: 1);
        Assert.Equal(StageClaimResult.AlreadyFinished, again);
        Assert.Equal(1, record!.Metrics["x"]);
    }

    [Fact]
    public async Task A_replica_that_lost_the_stage_cannot_finish_it()
    {
        var (_, first, _) = await Claim("a");
        var (_, second, _) = await Claim("b");
        Assert.False(await first!.CompleteAsync(new Dictionary<string, ArtifactRef>(), new Dictionary<string, double>(), CancellationToken.None));
        Assert.True(await second!.CompleteAsync(new Dictionary<string, ArtifactRef>(), new Dictionary<string, double>(), CancellationToken.None));
    }
}
