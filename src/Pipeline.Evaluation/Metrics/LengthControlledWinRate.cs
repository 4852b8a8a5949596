namespace Pipeline.Evaluation.Metrics;

/// <summary>
/// Length-controlled win rate (after AlpacaEval 2's, reduced to its length term): a logistic regression of the
/// per-prompt preference (1, ½, 0) on the standardized length difference, P(win) = σ(a + b·Δ/s); the win rate at equal
/// length is σ(a). A judge that simply prefers longer replies makes b carry the preference and leaves σ(a) near ½.
/// </summary>
public static class LengthControlledWinRate
{
    /// <summary>
    /// Ridge on the slope: keeps it finite when length separates wins from losses perfectly; light (0.1), so with separable
    /// data the slope, not the intercept, takes the length effect (at 1.0 a quarter of it leaked into the intercept).
    /// </summary>
    public const double SlopePenalty = 0.1;

    /// <summary>A much lighter ridge on the intercept: keeps it finite when the candidate wins (or loses) everything.</summary>
    public const double InterceptPenalty = 0.01;

    /// <param name="outcomes">Per prompt: 1 won, ½ tie, 0 lost (<see cref="Preference.Outcomes"/>).</param>
    /// <param name="lengthDifferences">Per prompt: candidate length minus reference length (tokens or words).</param>
    public static double Compute(IReadOnlyList<double> outcomes, IReadOnlyList<double> lengthDifferences) =>
        Fit(outcomes, lengthDifferences).WinRateAtEqualLength;

    public sealed record Model(double Intercept, double Slope, double Scale)
    {
        public double WinRateAtEqualLength => Sigmoid(Intercept);
    }

    /// <summary>Fits the regression by Newton's method on the penalized log-likelihood (convex, so it converges in a few steps).</summary>
    public static Model Fit(IReadOnlyList<double> outcomes, IReadOnlyList<double> lengthDifferences)
    {
        if (outcomes.Count != lengthDifferences.Count)
            throw new ArgumentException($"{outcomes.Count} outcomes but {lengthDifferences.Count} length differences.");
        var n = outcomes.Count;
        if (n == 0) return new Model(double.NaN, double.NaN, 1);
        var meanSquare = lengthDifferences.Sum(d => d * d) / n;
        // Scaled by the root mean square (not the standard deviation): zero stays zero, so the intercept is the equal-length point.
        var scale = meanSquare > 0 ? Math.Sqrt(meanSquare) : 1;
        var x = lengthDifferences.Select(d => d / scale).ToArray();
        double a = 0, b = 0;
        for (var iteration = 0; iteration < 100; iteration++)
        {
            double ga = -InterceptPenalty * a, gb = -SlopePenalty * b;
            double haa = InterceptPenalty, hab = 0, hbb = SlopePenalty;
            for (var i = 0; i < n; i++)
            {
                var p = Sigmoid(a + b * x[i]);
                var residual = outcomes[i] - p;
                var w = p * (1 - p);
                ga += residual;
                gb += residual * x[i];
                haa += w;
                hab += w * x[i];
                hbb += w * x[i] * x[i];
            }
            var determinant = haa * hbb - hab * hab;
            var da = (hbb * ga - hab * gb) / determinant;
            var db = (haa * gb - hab * ga) / determinant;
            a += da;
            b += db;
            if (Math.Abs(da) + Math.Abs(db) < 1e-10) break;
        }
        return new Model(a, b, scale);
    }

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));
}
