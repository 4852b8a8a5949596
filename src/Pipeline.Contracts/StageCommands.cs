namespace Pipeline.Contracts;

// One command per stage, so that each stage service has its own queue. All share IStageCommand.

public sealed record RunPretraining : IStageCommand
{
    public required Guid RunId { get; init; }
    public required string SettingsJson { get; init; }
    public IReadOnlyDictionary<string, ArtifactRef> Inputs { get; init; } = new Dictionary<string, ArtifactRef>();
    public int Slice { get; init; }
}

public sealed record RunIngestion : IStageCommand
{
    public required Guid RunId { get; init; }
    public required string SettingsJson { get; init; }
    public IReadOnlyDictionary<string, ArtifactRef> Inputs { get; init; } = new Dictionary<string, ArtifactRef>();
    public int Slice { get; init; }
}

public sealed record RunSynthesis : IStageCommand
{
    public required Guid RunId { get; init; }
    public required string SettingsJson { get; init; }
    public IReadOnlyDictionary<string, ArtifactRef> Inputs { get; init; } = new Dictionary<string, ArtifactRef>();
    public int Slice { get; init; }
}

public sealed record RunSft : IStageCommand
{
    public required Guid RunId { get; init; }
    public required string SettingsJson { get; init; }
    public IReadOnlyDictionary<string, ArtifactRef> Inputs { get; init; } = new Dictionary<string, ArtifactRef>();
    public int Slice { get; init; }
}

public sealed record RunFeedback : IStageCommand
{
    public required Guid RunId { get; init; }
    public required string SettingsJson { get; init; }
    public IReadOnlyDictionary<string, ArtifactRef> Inputs { get; init; } = new Dictionary<string, ArtifactRef>();
    public int Slice { get; init; }
}

public sealed record RunRewardModel : IStageCommand
{
    public required Guid RunId { get; init; }
    public required string SettingsJson { get; init; }
    public IReadOnlyDictionary<string, ArtifactRef> Inputs { get; init; } = new Dictionary<string, ArtifactRef>();
    public int Slice { get; init; }
}

public sealed record RunPpo : IStageCommand
{
    public required Guid RunId { get; init; }
    public required string SettingsJson { get; init; }
    public IReadOnlyDictionary<string, ArtifactRef> Inputs { get; init; } = new Dictionary<string, ArtifactRef>();
    public int Slice { get; init; }
}

public sealed record RunGrpo : IStageCommand
{
    public required Guid RunId { get; init; }
    public required string SettingsJson { get; init; }
    public IReadOnlyDictionary<string, ArtifactRef> Inputs { get; init; } = new Dictionary<string, ArtifactRef>();
    public int Slice { get; init; }
}

public sealed record RunDpo : IStageCommand
{
    public required Guid RunId { get; init; }
    public required string SettingsJson { get; init; }
    public IReadOnlyDictionary<string, ArtifactRef> Inputs { get; init; } = new Dictionary<string, ArtifactRef>();
    public int Slice { get; init; }
}

public sealed record RunEvaluation : IStageCommand
{
    public required Guid RunId { get; init; }
    public required string SettingsJson { get; init; }
    public IReadOnlyDictionary<string, ArtifactRef> Inputs { get; init; } = new Dictionary<string, ArtifactRef>();
    public int Slice { get; init; }
}
