using System.Text.RegularExpressions;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Prometheus;

/// <summary>One alerting or recording rule of a rules file.</summary>
public sealed record PrometheusRule(
    string Origin, string Group, string? Alert, string? Record, string Expression, string? For,
    IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Annotations)
{
    public string Name => Alert ?? Record ?? "(unnamed)";
}

/// <summary>One alert expectation of a promtool unit test: an alert name at a time, firing or not.</summary>
public sealed record AlertExpectation(string Origin, string Test, string AlertName, string EvalTime, int ExpectedAlerts);

/// <summary>infra/prometheus: the configurations, the rules and their promtool unit tests, read as data.</summary>
public static partial class PrometheusFiles
{
    public const string Directory = "infra/prometheus";
    public const string LocalConfig = "infra/prometheus/prometheus.yml";
    public const string KubernetesConfig = "infra/prometheus/prometheus-kubernetes.yml";
    public const string Rules = "infra/prometheus/rules.yml";
    public const string RuleTests = "infra/prometheus/rules.test.yml";

    public static readonly IReadOnlyList<string> Configs = [LocalConfig, KubernetesConfig];

    public static YamlDocumentAt Load(string relative) =>
        Assert.Single(Yaml.LoadFile(Repository.PathOf(relative)));

    public static IReadOnlyList<PrometheusRule> LoadRules(string relative = Rules)
    {
        var document = Load(relative);
        var groups = document.Root.At("groups").Items();
        if (groups.Count == 0) throw new InvalidDataException($"{document.Origin}: no `groups:`.");
        return groups.SelectMany(group => group.At("rules").Items().Select(rule => new PrometheusRule(
            document.Where(rule), group.TextAt("name") ?? "", rule.TextAt("alert"), rule.TextAt("record"),
            rule.TextAt("expr") ?? "", rule.TextAt("for"), rule.At("labels").Pairs(), rule.At("annotations").Pairs()))).ToList();
    }

    public static IReadOnlyList<AlertExpectation> LoadAlertExpectations(string relative = RuleTests)
    {
        var document = Load(relative);
        return document.Root.At("tests").Items().SelectMany(test => test.At("alert_rule_test").Items().Select(expectation => new AlertExpectation(
            document.Where(expectation), test.TextAt("name") ?? "", expectation.TextAt("alertname") ?? "", expectation.TextAt("eval_time") ?? "",
            expectation.At("exp_alerts").Items().Count))).ToList();
    }

    /// <summary>The rule files a configuration or test file loads, as full paths (relative to that file).</summary>
    public static IReadOnlyList<string> RuleFiles(string relative)
    {
        var document = Load(relative);
        var folder = Path.GetDirectoryName(Repository.PathOf(relative))!;
        return document.Root.At("rule_files").Items().Select(f => Path.GetFullPath(Path.Combine(folder, f.Text() ?? ""))).ToList();
    }

    /// <summary>Whether a string is a Prometheus duration (1m, 90s, 1h30m).</summary>
    public static bool IsDuration(string text) => Duration().IsMatch(text);

    [GeneratedRegex("^([0-9]+(ms|s|m|h|d|w|y))+$")]
    private static partial Regex Duration();
}
