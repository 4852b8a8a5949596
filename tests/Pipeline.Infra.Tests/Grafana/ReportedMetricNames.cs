using System.Text.RegularExpressions;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Grafana;

/// <summary>
/// The names stages report under, which /metrics carries as pipeline_stage_metric{name=...} (StageMetrics.cs): the
/// constants of the one MetricNames table (and any other *MetricNames class under src/), the keys of the
/// progress metrics ingestion reports, and "progress" itself. rewards/&lt;source&gt; stands for one name per reward source.
/// </summary>
public static partial class ReportedMetricNames
{
    private static readonly Lazy<IReadOnlySet<string>> Names = new(Read);

    public static IReadOnlySet<string> All => Names.Value;

    /// <summary>Whether a name="..." or name=~"..." matcher matches at least one reported name (each alternative of a regex, too).</summary>
    public static IReadOnlyList<string> Unmatched(string matcherOperator, string value)
    {
        if (matcherOperator == "=") return All.Contains(value) ? [] : [value];
        return TopLevelAlternatives(value)
            .Where(alternative => !All.Any(n => Regex.IsMatch(n, $"^(?:{alternative})$")))
            .ToList();
    }

    /// <summary>Every pipeline_stage_metric selector's name matcher in a PromQL expression: (operator, value).</summary>
    public static IEnumerable<(string Operator, string Value)> NameMatchers(string expression) =>
        Selector().Matches(expression).SelectMany(s => NameMatcher().Matches(s.Groups["labels"].Value))
            .Select(m => (m.Groups["op"].Value, m.Groups["value"].Value));

    private static IEnumerable<string> TopLevelAlternatives(string regex)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < regex.Length; i++)
        {
            if (regex[i] == '(') depth++;
            else if (regex[i] == ')') depth--;
            else if (regex[i] == '|' && depth == 0) { yield return regex[start..i]; start = i + 1; }
        }
        yield return regex[start..];
    }

    private static IReadOnlySet<string> Read()
    {
        var names = new HashSet<string> { "progress" };
        var src = Repository.PathOf("src");
        foreach (var file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/bin/") && !f.Contains("/obj/")))
        {
            var text = File.ReadAllText(file);
            foreach (Match names_ in MetricNamesClass().Matches(text))
                foreach (Match constant in Constant().Matches(names_.Groups["body"].Value))
                    names.Add(constant.Groups["value"].Value);
            if (file.Contains($"{Path.DirectorySeparatorChar}Pipeline.Ingestion{Path.DirectorySeparatorChar}"))
                foreach (Match key in ProgressKey().Matches(text)) names.Add(key.Groups["key"].Value);
            foreach (Match prefix in InterpolatedName().Matches(text)) names.Add(prefix.Groups["prefix"].Value + "example_source");
        }
        return names;
    }

    [GeneratedRegex(@"class \w*MetricNames\s*\{(?<body>(?:[^{}]|\{[^{}]*\})*)\}", RegexOptions.Singleline)]
    private static partial Regex MetricNamesClass();

    [GeneratedRegex(@"const string \w+ = ""(?<value>[^""]+)""")]
    private static partial Regex Constant();

    [GeneratedRegex(@"\[""(?<key>[a-z_]+)""\] = ")]
    private static partial Regex ProgressKey();

    /// <summary>public static string Reward(string source) => $"rewards/{source}";</summary>
    [GeneratedRegex(@"=> \$""(?<prefix>[a-z_]+/)\{\w+\}"";")]
    private static partial Regex InterpolatedName();

    [GeneratedRegex(@"pipeline_stage_metric\s*\{(?<labels>[^}]*)\}")]
    private static partial Regex Selector();

    [GeneratedRegex(@"(?<![A-Za-z_])name\s*(?<op>=~|=)\s*""(?<value>[^""]*)""")]
    private static partial Regex NameMatcher();
}
