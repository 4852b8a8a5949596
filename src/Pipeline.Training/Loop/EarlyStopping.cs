namespace Pipeline.Training.Loop;

/// <summary>
/// Patience on the validation loss: stop after <see cref="Patience"/> evaluations in a row without a new
/// best. Immutable, so it travels in checkpoints as two numbers. Patience 0 never stops.
/// </summary>
public sealed record EarlyStopping(int Patience, double BestLoss = double.PositiveInfinity, int EvaluationsWithoutImprovement = 0)
{
    /// <summary>Takes one evaluation's loss into account; a NaN loss counts as no improvement.</summary>
    public EarlyStopping Observe(double loss) => loss < BestLoss
        ? this with { BestLoss = loss, EvaluationsWithoutImprovement = 0 }
        : this with { EvaluationsWithoutImprovement = EvaluationsWithoutImprovement + 1 };

    public bool ShouldStop => Patience > 0 && EvaluationsWithoutImprovement >= Patience;
}
