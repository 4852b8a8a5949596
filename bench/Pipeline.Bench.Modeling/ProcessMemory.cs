using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Pipeline.Bench.Modeling;

/// <summary>
/// Resident memory of this process as the kernel counts it: the managed heap, libtorch's native tensors (which the GC
/// does not see) and the loaded code alike. On Linux the peak (VmHWM) can be reset through /proc/self/clear_refs, so a
/// phase's peak can be measured without the set-up before it.
/// </summary>
public static class ProcessMemory
{
    /// <summary>Current resident set in bytes.</summary>
    public static long Resident()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    /// <summary>Peak resident set since start or the last successful <see cref="TryResetPeak"/>.</summary>
    public static long Peak()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }

    /// <summary>Returns freed heap to the OS, then resets the peak to the current resident set (Linux ≥ 4.0). False where unsupported.</summary>
    public static bool TryResetPeak()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            malloc_trim(0);
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    // glibc keeps freed small blocks in its arenas; trimming first makes the reset peak start from what is really in use.
    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
}
