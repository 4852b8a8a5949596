using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Pipeline.AppHost.Tests;

/// <summary>What the AppHost's processes are and where they listen, read from /proc and `ss` (Linux).</summary>
public static partial class LocalProcesses
{
    /// <summary>The processes and all their descendants (a project resource is `dotnet run` with the service below it).</summary>
    public static IReadOnlySet<int> WithDescendants(IEnumerable<int> roots)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Stat(pid) is { } stat)
                parents[pid] = stat.ParentPid;
        var all = new HashSet<int>(roots);
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var (pid, parent) in parents)
                if (all.Contains(parent) && all.Add(pid)) grew = true;
        }
        return all;
    }

    /// <summary>Whether the process runs (a zombie waiting for PID 1 to reap it does not).</summary>
    public static bool IsRunning(int pid) => Stat(pid) is { State: not 'Z' and not 'X' };

    /// <summary>"pid 123 (beam.smp)".</summary>
    public static string Describe(int pid) => $"pid {pid} ({Stat(pid)?.Name ?? "gone"})";

    /// <summary>Every TCP listening socket of the given processes: (local address, pid, process name).</summary>
    public static IReadOnlyList<(string Address, int Pid, string Name)> ListeningSockets(IReadOnlySet<int> pids)
    {
        var info = new ProcessStartInfo("ss", "-ltnpH") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var ss = Process.Start(info) ?? throw new InvalidOperationException("could not start `ss` (package iproute2)");
        var output = ss.StandardOutput.ReadToEnd();
        ss.WaitForExit();
        var sockets = new List<(string, int, string)>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (columns.Length < 4) continue;
            foreach (Match user in SsUser().Matches(line))
            {
                var pid = int.Parse(user.Groups["pid"].Value);
                if (pids.Contains(pid)) sockets.Add((columns[3], pid, user.Groups["name"].Value));
            }
        }
        return sockets;
    }

    /// <summary>127.0.0.1:port or [::1]:port: reachable from this machine only.</summary>
    public static bool IsLoopback(string address) => address.StartsWith("127.0.0.1:", StringComparison.Ordinal) || address.StartsWith("[::1]:", StringComparison.Ordinal);

    private sealed record ProcessStat(string Name, char State, int ParentPid);

    private static ProcessStat? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var close = text.LastIndexOf(')');
            var name = text[(text.IndexOf('(') + 1)..close];
            var rest = text[(close + 2)..].Split(' ');
            return new ProcessStat(name, rest[0][0], int.Parse(rest[1]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    [GeneratedRegex("""\("(?<name>[^"]+)",pid=(?<pid>\d+)""")]
    private static partial Regex SsUser();
}
