namespace Pipeline.Training.Alignment.Objectives;

/// <summary>Pearson's r of two series; 0 when either is constant (no linear relation can be read).</summary>
public static class PearsonCorrelation
{
    public static double Of(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ArgumentException($"The series have {x.Count} and {y.Count} values.");
        if (x.Count < 2) return 0;
        double meanX = x.Average(), meanY = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Count; i++)
        {
            var (dx, dy) = (x[i] - meanX, y[i] - meanY);
            (sxy, sxx, syy) = (sxy + dx * dy, sxx + dx * dx, syy + dy * dy);
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.Sqrt(sxx * syy);
    }
}
