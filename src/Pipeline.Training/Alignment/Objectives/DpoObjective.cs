using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using static TorchSharp.torch;

namespace Pipeline.Training.Alignment.Objectives;

/// <summary>
/// DPO and its variants on the implicit reward margin h = (log π(y_w) − log π_ref(y_w)) − (log π(y_l) − log π_ref(y_l)):
/// <list type="bullet">
/// <item>sigmoid (Rafailov et al.): −(1 − ε)·log σ(β·h) − ε·log σ(−β·h); ε is cDPO's label smoothing;</item>
/// <item>ipo (Azar et al.): (h − 1/(2β))², on per-token mean log-probabilities as TRL and the paper do;</item>
/// <item>hinge (SLiC): max(0, 1 − β·h).</item>
/// </list>
/// </summary>
public static class DpoObjective
{
    /// <param name="chosen">(N) log π(y_w) of the policy (summed over the reply's tokens, or the per-token mean for ipo).</param>
    /// <returns>Per-pair loss (N), and the implicit rewards β(log π − log π_ref) of the chosen and rejected replies (N each).</returns>
    public static (Tensor Loss, Tensor ChosenRewards, Tensor RejectedRewards) Compute(
        Tensor chosen, Tensor rejected, Tensor referenceChosen, Tensor referenceRejected, double beta, DpoLoss loss, double labelSmoothing)
    {
        var chosenRatio = chosen - referenceChosen;
        var rejectedRatio = rejected - referenceRejected;
        var margin = chosenRatio - rejectedRatio;
        var perPair = loss switch
        {
            DpoLoss.Ipo => (margin - 1 / (2 * beta)).square(),
            DpoLoss.Hinge => nn.functional.relu(1 - beta * margin),
            _ => -(1 - labelSmoothing) * nn.functional.logsigmoid(beta * margin) - labelSmoothing * nn.functional.logsigmoid(-beta * margin),
        };
        return (perPair, (beta * chosenRatio).detach(), (beta * rejectedRatio).detach());
    }
}
