using Pipeline.Configuration.Validation;

namespace Pipeline.Configuration;

/// <summary>What the settings of every stage share.</summary>
public abstract record StageSettings
{
    /// <summary>
    /// Seed for the stage's randomness (shuffles, splits, sampling, initialisation). Default: the run's
    /// <see cref="RunConfig.Seed"/>, filled in when the config is loaded, so each stage receives a
    /// concrete number and a run is reproducible from its config alone.
    /// </summary>
    [Range(0, double.PositiveInfinity)]
    public int? Seed { get; init; }
}
