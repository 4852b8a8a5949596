using System.Diagnostics;
using static TorchSharp.torch;

namespace Pipeline.Bench;

/// <summary>
/// The compute roof of this process: FLOP/s of one large square matmul (2n³ FLOPs), the best of several timings after a
/// warm-up. Model FLOPs utilization is measured against it, so the figure says how much of what libtorch's GEMM reaches
/// on this CPU the training step gets, whatever the CPU. Linked into the modeling and training benchmarks.
/// </summary>
public static class MatmulRoof
{
    public static double Measure(int n, ScalarType dtype = ScalarType.Float32, int repeats = 5)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(1);
        var a = randn([n, n], generator: generator).to(dtype);
        var b = randn([n, n], generator: generator).to(dtype);
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
