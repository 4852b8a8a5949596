using Pipeline.Contracts;

namespace Pipeline.Artifacts;

/// <summary>What the producer says about an artifact when it creates it; copied into manifest.json.</summary>
public sealed record ArtifactInfo
{
    public required ArtifactKind Kind { get; init; }

    /// <summary>The stage that produced the artifact ("ingest", "sft", ...), or "import" for one brought from outside.</summary>
    public required string ProducerStage { get; init; }

    /// <summary>The pipeline run that produced it; null for imported artifacts.</summary>
    public Guid? RunId { get; init; }

    /// <summary>Hash of the stage configuration that produced it; empty when there is none (imports).</summary>
    public string ConfigHash { get; init; } = "";

    /// <summary>Ids of the artifacts this one was made from (lineage).</summary>
    public IReadOnlyList<string> Parents { get; init; } = [];

    internal void Validate(string artifactId)
    {
        if (!Enum.IsDefined(Kind))
            throw new ArgumentException($"Artifact '{artifactId}': kind {(int)Kind} is not one of {string.Join(", ", Enum.GetNames<ArtifactKind>())}.");
        if (string.IsNullOrWhiteSpace(ProducerStage))
            throw new ArgumentException($"Artifact '{artifactId}': ProducerStage is empty; name the stage that produced it (for example \"ingest\").");
        if (ConfigHash is null)
            throw new ArgumentException($"Artifact '{artifactId}': ConfigHash is null; use \"\" when there is no configuration.");
        if (Parents is null)
            throw new ArgumentException($"Artifact '{artifactId}': Parents is null; use an empty list when there are none.");
        foreach (var parent in Parents) ArtifactKey.ValidateId(parent);
    }
}
