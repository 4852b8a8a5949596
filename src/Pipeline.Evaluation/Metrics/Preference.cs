namespace Pipeline.Evaluation.Metrics;

/// <summary>Head-to-head comparison of a candidate with a reference candidate on the same prompts, by a judge's scores.</summary>
public static class Preference
{
    /// <summary>Per prompt: 1 when the candidate scores higher, 0 when lower, ½ on a tie (|difference| ≤ <paramref name="tolerance"/>).</summary>
    public static double[] Outcomes(IReadOnlyList<double> candidate, IReadOnlyList<double> reference, double tolerance = 1e-9)
    {
        if (candidate.Count != reference.Count)
            throw new ArgumentException($"The candidate has {candidate.Count} scores and the reference {reference.Count}; both must answer the same prompts.");
        var outcomes = new double[candidate.Count];
        for (var i = 0; i < outcomes.Length; i++)
        {
            var difference = candidate[i] - reference[i];
            outcomes[i] = Math.Abs(difference) <= tolerance ? 0.5 : difference > 0 ? 1 : 0;
        }
        return outcomes;
    }

    /// <summary>The share of prompts won, ties counting half.</summary>
    public static double WinRate(IReadOnlyList<double> outcomes) => outcomes.Count == 0 ? double.NaN : outcomes.Average();
}
