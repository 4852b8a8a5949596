using Pipeline.Configuration.Validation;

namespace Pipeline.Configuration.Training;

/// <summary>
/// Direct preference optimization: −log σ(β[(log π(y_w) − log π_ref(y_w)) − (log π(y_l) − log π_ref(y_l))])
/// over completion tokens, with the starting model as the frozen reference.
/// </summary>
public sealed record DpoSettings : TrainingSettings
{
    /// <summary>Learning rate default 1e-6 (TRL's): DPO drifts from the reference quickly at SFT rates.</summary>
    public DpoSettings() => LearningRate = 1e-6;

    /// <summary>
    /// Strength of the implicit KL penalty, default 0.1 (the paper's): smaller lets the policy move
    /// further from the reference.
    /// </summary>
    [Range(0, 10, MinimumIsExclusive = true)]
    public double Beta { get; init; } = 0.1;

    /// <summary>Loss on the preference margin, default sigmoid (the DPO paper); ipo and hinge are the usual variants.</summary>
    public DpoLoss Loss { get; init; } = DpoLoss.Sigmoid;

    /// <summary>
    /// Assumed share of flipped labels (conservative DPO), default 0; below 0.5, since at 0.5 the labels
    /// carry no information. Only for the sigmoid loss.
    /// </summary>
    [Range(0, 0.5, MaximumIsExclusive = true)]
    public double LabelSmoothing { get; init; }

    protected override string? MethodRefusal => MethodSupport.AlignmentRefusal(Method);

    protected override void Validate(SettingsValidationContext context)
    {
        base.Validate(context);
        if (context.IsValid("label_smoothing", "loss") && LabelSmoothing > 0 && Loss != DpoLoss.Sigmoid)
            context.Error("label_smoothing", $"only applies to loss sigmoid, but loss is {ConfigNaming.NameOf(Loss)}; set it to 0 or use loss: sigmoid");
    }
}

/// <summary>DPO loss variants.</summary>
public enum DpoLoss
{
    /// <summary>−log σ(β·margin), the DPO paper.</summary>
    Sigmoid,
    /// <summary>(margin − 1/(2β))², identity preference optimization; does not saturate.</summary>
    Ipo,
    /// <summary>max(0, 1 − β·margin), as in SLiC.</summary>
    Hinge,
}
