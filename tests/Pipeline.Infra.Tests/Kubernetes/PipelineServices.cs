using System.Text.RegularExpressions;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Kubernetes;

/// <summary>
/// The services as the repository defines them: the names and their order come from infra/local/services.sh
/// (its `all` list, which also fixes each one's loopback port: 5080 + index).
/// </summary>
public static partial class PipelineServices
{
    public const string ServicesScript = "infra/local/services.sh";

    /// <summary>The training stages: one GPU per replica.</summary>
    public static readonly IReadOnlySet<string> Trainers = new HashSet<string> { "sft", "reward-model", "ppo" };

    /// <summary>Services that consume stage queues and so scale on them with KEDA, from zero (every one but the API).</summary>
    public static IReadOnlyList<string> Workers => All.Where(s => ServiceQueues.All[s].Count > 0).ToList();

    private static readonly Lazy<IReadOnlyList<string>> Names = new(ReadNames);

    /// <summary>api, ingestion, synthesis, sft, reward-model, ppo, evaluation (in services.sh's order).</summary>
    public static IReadOnlyList<string> All => Names.Value;

    /// <summary>The loopback port services.sh gives a service by default.</summary>
    public static int LocalPort(string service)
    {
        var index = All.ToList().IndexOf(service);
        if (index < 0) throw new ArgumentException($"'{service}' is not in {ServicesScript}'s list: {string.Join(", ", All)}.");
        return LocalBasePort() + index;
    }

    /// <summary>Parses <c>all=(a b c)</c> from the script.</summary>
    public static IReadOnlyList<string> ParseNames(string script)
    {
        var match = AllList().Match(script);
        if (!match.Success) throw new InvalidDataException($"{ServicesScript} has no `all=(...)` line listing the services.");
        return match.Groups["names"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static IReadOnlyList<string> ReadNames() => ParseNames(Repository.ReadText(ServicesScript));

    private static int LocalBasePort()
    {
        var match = BasePort().Match(Repository.ReadText(ServicesScript));
        if (!match.Success) throw new InvalidDataException($"{ServicesScript} has no `${{PIPELINE_API_PORT:-NNNN}}` default port.");
        return int.Parse(match.Groups["port"].Value);
    }

    [GeneratedRegex(@"^all=\((?<names>[^)]*)\)", RegexOptions.Multiline)]
    private static partial Regex AllList();

    [GeneratedRegex(@"\$\{PIPELINE_API_PORT:-(?<port>\d+)\}")]
    private static partial Regex BasePort();
}
