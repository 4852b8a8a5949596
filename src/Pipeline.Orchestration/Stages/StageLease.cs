using Pipeline.Contracts;
using Pipeline.Orchestration.State;

namespace Pipeline.Orchestration.Stages;

/// <summary>
/// One replica's claim on one (RunId, stage). Ownership is a lease in the stage record: renewed by a
/// heartbeat while the work runs, taken over by another replica only after it runs out (its owner died),
/// and checked on every write so that at most one replica advances a stage.
/// </summary>
public sealed class StageLease
{
    private readonly JsonDocumentCollection<StageRecord> records;
    private readonly StageRuntimeOptions options;
    private readonly TimeProvider time;
    private readonly string id;

    private StageLease(JsonDocumentCollection<StageRecord> records, StageRuntimeOptions options, TimeProvider time, StageRecord record)
    {
        this.records = records;
        this.options = options;
        this.time = time;
        this.id = StageRecord.Id(record.RunId, record.Stage);
        Record = record;
    }

    /// <summary>The replica whose expired lease this one took over; null for a fresh start or a continuation.</summary>
    public string? TookOverFrom { get; private init; }

    /// <summary>The record as this replica last wrote or read it.</summary>
    public StageRecord Record { get; private set; }

    /// <summary>
    /// Tries to take the slice named by the command. Waits out a foreign lease once: if its owner renews
    /// it meanwhile, the owner is alive and this delivery is a duplicate; if not, the owner died and this
    /// replica takes over from the latest checkpoint.
    /// </summary>
    public static async Task<(StageClaimResult Result, StageLease? Lease, StageRecord? Record)> ClaimAsync(
        JsonDocumentCollection<StageRecord> records, IStageCommand command, string stage,
        StageRuntimeOptions options, TimeProvider time, CancellationToken ct)
    {
        var id = StageRecord.Id(command.RunId, stage);
        DateTimeOffset? waitedFor = null;
        string? waitedOwner = null;
        while (true)
        {
            var (current, _) = await records.GetAsync(id, ct).ConfigureAwait(false);
            if (current is { IsFinished: true }) return (StageClaimResult.AlreadyFinished, null, current);
            if (current is null && command.Slice != 0) return (StageClaimResult.Duplicate, null, null);
            if (current is not null && current.Slice != command.Slice) return (StageClaimResult.Duplicate, null, current);

            var now = time.GetUtcNow();
            if (current is not null && current.Owner != options.WorkerId && current.LeaseUntil > now)
            {
                // Someone else holds a live lease. Having waited once already, a renewed lease means its owner is alive.
                if (waitedFor is not null && (current.LeaseUntil > waitedFor || current.Owner != waitedOwner))
                    return (StageClaimResult.Duplicate, null, current);
                waitedFor = current.LeaseUntil;
                waitedOwner = current.Owner;
                await Task.Delay(current.LeaseUntil - now + TimeSpan.FromMilliseconds(200), time, ct).ConfigureAwait(false);
                continue;
            }

            var claimed = (current ?? new StageRecord { RunId = command.RunId, Stage = stage }) with
            {
                Owner = options.WorkerId,
                LeaseUntil = now + options.LeaseDuration,
                Attempts = (current?.Attempts ?? 0) + 1,
            };
            var saved = current is null
                ? await records.TryCreateAsync(id, claimed, ct).ConfigureAwait(false)
                : await TryReplaceAsync(records, id, current, claimed, ct).ConfigureAwait(false);
            // Its own lease (a delivery retried in this replica after a storage or broker hiccup) is no takeover.
            var tookOverFrom = current?.Owner is { } previous && previous != options.WorkerId ? previous : null;
            if (saved) return (StageClaimResult.Claimed, new StageLease(records, options, time, claimed) { TookOverFrom = tookOverFrom }, claimed);
        }
    }

    /// <summary>Replaces the record only if nobody changed it since it was read.</summary>
    private static async Task<bool> TryReplaceAsync(JsonDocumentCollection<StageRecord> records, string id,
        StageRecord expected, StageRecord replacement, CancellationToken ct)
    {
        var stored = await records.UpdateAsync(id, r => r == expected || Same(r, expected) ? replacement : null, ct).ConfigureAwait(false);
        return stored is not null && stored.Owner == replacement.Owner && stored.LeaseUntil == replacement.LeaseUntil;
    }

    private static bool Same(StageRecord? a, StageRecord b) =>
        a is not null && a.Owner == b.Owner && a.LeaseUntil == b.LeaseUntil && a.Slice == b.Slice && a.Status == b.Status;

    /// <summary>Extends the lease; false when another replica took the stage (this one must stop).</summary>
    public Task<bool> RenewAsync(CancellationToken ct) =>
        ChangeAsync(r => r with { LeaseUntil = this.time.GetUtcNow() + this.options.LeaseDuration }, ct);

    internal async Task RecordCheckpointAsync(string checkpointId, CancellationToken ct)
    {
        if (!await ChangeAsync(r => r with { LatestCheckpoint = checkpointId, CheckpointCount = r.CheckpointCount + 1 }, ct).ConfigureAwait(false))
            throw new StageLeaseLostException(Record.RunId, Record.Stage);
    }

    /// <summary>Ends this slice: the next one may be taken at once by any replica.</summary>
    public Task<bool> YieldAsync(CancellationToken ct) =>
        ChangeAsync(r => r with { Slice = r.Slice + 1, Owner = null, LeaseUntil = DateTimeOffset.MinValue }, ct);

    /// <summary>Gives the lease back without finishing (shutdown), so another replica need not wait it out.</summary>
    public Task<bool> ReleaseAsync(CancellationToken ct) =>
        ChangeAsync(r => r with { Owner = null, LeaseUntil = DateTimeOffset.MinValue }, ct);

    public Task<bool> CompleteAsync(IReadOnlyDictionary<string, ArtifactRef> outputs, IReadOnlyDictionary<string, double> metrics, CancellationToken ct) =>
        ChangeAsync(r => r with
        {
            Status = StageRecordStatus.Completed,
            Outputs = new Dictionary<string, ArtifactRef>(outputs),
            Metrics = new Dictionary<string, double>(metrics),
            Owner = null,
        }, ct);

    public Task<bool> FailAsync(string reason, CancellationToken ct) =>
        ChangeAsync(r => r with { Status = StageRecordStatus.Failed, FailureReason = reason, Owner = null }, ct);

    public Task<bool> CancelAsync(CancellationToken ct) =>
        ChangeAsync(r => r with { Status = StageRecordStatus.Cancelled, Owner = null }, ct);

    /// <summary>Applies a change only while this replica still owns the current slice.</summary>
    private async Task<bool> ChangeAsync(Func<StageRecord, StageRecord> change, CancellationToken ct)
    {
        var owner = this.options.WorkerId;
        var slice = Record.Slice;
        var lost = false;
        var stored = await this.records.UpdateAsync(this.id, r =>
        {
            lost = r is null || r.Owner != owner || r.Slice != slice || r.IsFinished;
            return lost ? null : change(r!);
        }, ct).ConfigureAwait(false);
        if (lost || stored is null) return false;
        Record = stored;
        return true;
    }
}

/// <summary>Another replica took over this stage (this one was presumed dead); stop without writing.</summary>
public sealed class StageLeaseLostException(Guid runId, string stage)
    : Exception($"run {runId:N}, stage '{stage}': another replica took over this stage; this replica stops.");
