using System.Text.RegularExpressions;

namespace Pipeline.Infra.Tests.Prometheus;

/// <summary>
/// Reads the metric names a PromQL expression selects, with a small lexer: identifiers that are not functions or
/// aggregations (followed by "("), keywords, label lists after by/without/on/ignoring/group_*, label matchers in
/// braces, ranges in brackets, strings, numbers and durations, or Grafana variables ($run, ${run}, $__interval).
/// </summary>
public static partial class PromQl
{
    /// <summary>Operators and literals; aggregations too, since "sum by (le) (...)" puts no "(" right after "sum".</summary>
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "and", "or", "unless", "bool", "offset", "atan2", "inf", "nan",
        "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile",
        "limitk", "limit_ratio",
    };

    private static readonly HashSet<string> LabelListKeywords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right",
    };

    public static IReadOnlyList<string> MetricNames(string expression)
    {
        var names = new List<string>();
        var text = expression;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is '"' or '\'' or '`') i = SkipString(text, i);
            else if (c == '{') i = SkipBalanced(text, i, '{', '}');
            else if (c == '[') i = SkipBalanced(text, i, '[', ']');
            else if (c == '$') i = SkipVariable(text, i);
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))) i = SkipNumber(text, i);
            else if (IsIdentifierStart(c))
            {
                var start = i;
                while (i < text.Length && IsIdentifierPart(text[i])) i++;
                var word = text[start..i];
                var next = SkipSpace(text, i);
                var callsOrLists = next < text.Length && text[next] == '(';
                if (LabelListKeywords.Contains(word))
                {
                    if (callsOrLists) i = SkipBalanced(text, next, '(', ')');
                }
                else if (!Keywords.Contains(word) && !callsOrLists) names.Add(word);
            }
            else i++;
        }
        return names;
    }

    /// <summary>
    /// The metric names in a Grafana Prometheus variable query: label_values(metric{...}, label),
    /// query_result(expr), or none for label_values(label), label_names() and metrics(regex).
    /// </summary>
    public static IReadOnlyList<string> VariableQueryMetricNames(string query)
    {
        var trimmed = query.Trim();
        var labelValues = LabelValuesWithMetric().Match(trimmed);
        if (labelValues.Success) return MetricNames(labelValues.Groups["selector"].Value);
        var queryResult = QueryResult().Match(trimmed);
        if (queryResult.Success) return MetricNames(queryResult.Groups["expr"].Value);
        return [];
    }

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c is '_' or ':';
    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or ':';

    private static int SkipSpace(string text, int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
        return i;
    }

    private static int SkipString(string text, int i)
    {
        var quote = text[i++];
        while (i < text.Length && text[i] != quote) i += text[i] == '\\' && quote != '`' ? 2 : 1;
        return i + 1;
    }

    private static int SkipBalanced(string text, int i, char open, char close)
    {
        var depth = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is '"' or '\'' or '`') { i = SkipString(text, i); continue; }
            if (c == open) depth++;
            else if (c == close && --depth == 0) return i + 1;
            i++;
        }
        return i;
    }

    private static int SkipVariable(string text, int i)
    {
        i++;
        if (i < text.Length && text[i] == '{') return SkipBalanced(text, i, '{', '}');
        while (i < text.Length && IsIdentifierPart(text[i])) i++;
        return i;
    }

    /// <summary>Numbers (0.95, 1e3, 0x1f) and durations (5m, 1h30m) alike: digits, letters and dots.</summary>
    private static int SkipNumber(string text, int i)
    {
        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '.' or '_')) i++;
        return i;
    }

    [GeneratedRegex(@"^label_values\(\s*(?<selector>.+)\s*,\s*[A-Za-z_][A-Za-z0-9_]*\s*\)$", RegexOptions.Singleline)]
    private static partial Regex LabelValuesWithMetric();

    [GeneratedRegex(@"^query_result\((?<expr>.+)\)$", RegexOptions.Singleline)]
    private static partial Regex QueryResult();
}
