using Pipeline.Artifacts;
using Pipeline.Contracts;

namespace Pipeline.Orchestration.Stages;

/// <summary>Everything a worker sees of the run: its settings, inputs, storage, checkpoints and progress.</summary>
public sealed class StageContext
{
    private readonly TimeProvider time;

    internal StageContext(IStageCommand command, string stage, IArtifactStore artifacts, StageCheckpoints checkpoints,
        IStageProgress progress, DateTimeOffset sliceDeadline, string scratchDirectory, TimeProvider time)
    {
        RunId = command.RunId;
        Stage = stage;
        SettingsJson = command.SettingsJson;
        Inputs = command.Inputs;
        Slice = command.Slice;
        Artifacts = artifacts;
        Checkpoints = checkpoints;
        Progress = progress;
        SliceDeadline = sliceDeadline;
        ScratchDirectory = scratchDirectory;
        this.time = time;
    }

    public Guid RunId { get; }
    public string Stage { get; }
    public string SettingsJson { get; }
    public IReadOnlyDictionary<string, ArtifactRef> Inputs { get; }
    public int Slice { get; }
    public IArtifactStore Artifacts { get; }
    public StageCheckpoints Checkpoints { get; }
    public IStageProgress Progress { get; }
    public DateTimeOffset SliceDeadline { get; }

    /// <summary>A folder of this replica's own for temporary files; not shared with other replicas.</summary>
    public string ScratchDirectory { get; }

    /// <summary>True once the slice's time is up: save a checkpoint and return <see cref="StageOutcome.Yielded"/>.</summary>
    public bool ShouldYield => this.time.GetUtcNow() >= SliceDeadline;

    /// <summary>SHA-256 of the stage's settings, recorded in the manifest of every artifact the stage writes.</summary>
    public string ConfigHash => HashSettings(SettingsJson);

    public static string HashSettings(string settingsJson) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(settingsJson)));

    /// <summary>The artifact id prefix owned by this stage of this run.</summary>
    public string ArtifactPrefix => StageArtifacts.Prefix(RunId, Stage);

    public ArtifactRef RequireInput(string role) =>
        Inputs.TryGetValue(role, out var input)
            ? input
            : throw new StageFailedException(
                $"stage '{Stage}' needs an input artifact for role '{role}', but the run provides only: " +
                (Inputs.Count == 0 ? "(none)" : string.Join(", ", Inputs.Keys)) +
                $". Add the stage that produces it, or set inputs.{role} in the run config.");
}

/// <summary>Where a run's artifacts live: <c>runs/{runId}/{stage}/...</c>.</summary>
public static class StageArtifacts
{
    public static string Prefix(Guid runId, string stage) => $"runs/{runId:N}/{stage}";
}
