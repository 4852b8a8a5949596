using System.Text.RegularExpressions;

namespace Pipeline.Configuration.Validation;

/// <summary>A string (or each string of a list) must match a regular expression.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PatternAttribute(string pattern, string description) : Attribute
{
    public Regex Regex { get; } = new(pattern, RegexOptions.CultureInvariant);

    /// <summary>What is allowed, in words, e.g. "lower-case letters, digits, '-' and '_'".</summary>
    public string Description { get; } = description;
}
