using Pipeline.Training.Sft;

namespace Pipeline.Training.Alignment.Dpo;

/// <summary>
/// One preference pair for DPO: prompt + chosen and prompt + rejected as SFT encodes them (prompt labels -100, so the
/// sequence log-probability counts only the reply), and the frozen reference's log-probabilities of both replies.
/// </summary>
public sealed record DpoPair(int Index, SftSequence Chosen, SftSequence Rejected, float ReferenceChosen, float ReferenceRejected);
