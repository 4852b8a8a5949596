using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Configuration.Validation;

/// <summary>
/// Reads YAML scalars as typed values. Numbers and booleans must be plain (unquoted): a quoted
/// <c>'42'</c> is text in YAML, and silently accepting it would hide a config written by a tool that
/// quotes everything. Each reader returns null on success or the problem, for people.
/// </summary>
internal static partial class ScalarReader
{
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar
        && (scalar.Value ?? "") is "" or "~" or "null" or "Null" or "NULL";

    public static bool IsQuoted(YamlScalarNode scalar) =>
        scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded;

    /// <summary>Whole numbers; YAML 1.1 digit separators (10_000) and exact scientific forms (1e3) are accepted.</summary>
    public static string? ReadInteger(YamlScalarNode scalar, out long value)
    {
        value = 0;
        var text = scalar.Value ?? "";
        if (IsQuoted(scalar)) return QuotedProblem(text, "an integer");
        var digits = WithoutSeparators(text);
        if (long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value)) return null;
        if (double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            if (number != Math.Floor(number)) return $"'{text}' is not a whole number";
            if (Math.Abs(number) < 9e18)
            {
                value = (long)number;
                return null;
            }
            return $"'{text}' is too large for an integer";
        }
        return $"'{text}' is not an integer";
    }

    public static string? ReadNumber(YamlScalarNode scalar, out double value)
    {
        value = 0;
        var text = scalar.Value ?? "";
        if (IsQuoted(scalar)) return QuotedProblem(text, "a number");
        if (!double.TryParse(WithoutSeparators(text), NumberStyles.Float, CultureInfo.InvariantCulture, out value))
            return $"'{text}' is not a number (write e.g. 0.05 or 2e-5)";
        return double.IsFinite(value) ? null : $"'{text}' is not a finite number";
    }

    public static string? ReadBoolean(YamlScalarNode scalar, out bool value)
    {
        value = false;
        var text = scalar.Value ?? "";
        if (IsQuoted(scalar)) return QuotedProblem(text, "true or false");
        // Only YAML 1.2's spellings: YAML 1.1's yes/no/on/off are exactly the Norway-problem surprises.
        if (text is "true" or "True" or "TRUE") { value = true; return null; }
        if (text is "false" or "False" or "FALSE") { value = false; return null; }
        return $"'{text}' is not a boolean; use true or false";
    }

    private static string QuotedProblem(string text, string expected) =>
        $"'{text}' is quoted, so it is text; expected {expected} (remove the quotes)";

    private static string WithoutSeparators(string text) =>
        DigitSeparator().IsMatch(text) ? text.Replace("_", "", StringComparison.Ordinal) : text;

    [GeneratedRegex(@"^[+-]?\d+(_\d+)+$")]
    private static partial Regex DigitSeparator();
}
