using System.Diagnostics;
using static TorchSharp.torch;

namespace Pipeline.Bench.Training;

/// <summary>
/// The compute roof of this process: FLOP/s of one large square fp32 matmul (2n³ FLOPs), the best of several timings
/// after a warm-up (the same measure as bench/Pipeline.Bench.Modeling). MFU is measured against it.
/// </summary>
public static class MatmulRoof
{
    public static double Measure(int n, int repeats = 5)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(1);
        var a = randn([n, n], generator: generator);
        var b = randn([n, n], generator: generator);
        using (var warmUp = a.matmul(b)) { }
        var best = double.MaxValue;
        for (var i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            using var product = a.matmul(b);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n / best;
    }
}
