namespace Pipeline.Bench;

/// <summary>What a benchmark table says about the machine it ran on; on a shared machine the load says how far to trust it.</summary>
public static class BenchMachine
{
    /// <summary>The 1, 5 and 15-minute run-queue averages ("n/a" off Linux).</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>The CPU's model name from /proc/cpuinfo.</summary>
    public static string CpuName() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
            : "unknown CPU";
}
