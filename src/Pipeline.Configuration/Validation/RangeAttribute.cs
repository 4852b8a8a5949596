using System.Globalization;

namespace Pipeline.Configuration.Validation;

/// <summary>
/// The allowed interval of a number (or of each number in a list). Bounds are inclusive unless
/// marked exclusive; an infinite bound means "no limit on that side".
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RangeAttribute(double minimum, double maximum) : Attribute
{
    public double Minimum { get; } = minimum;
    public double Maximum { get; } = maximum;

    /// <summary>True when <see cref="Minimum"/> itself is not allowed, e.g. a learning rate of 0.</summary>
    public bool MinimumIsExclusive { get; set; }

    /// <summary>True when <see cref="Maximum"/> itself is not allowed, e.g. a dropout of 1.</summary>
    public bool MaximumIsExclusive { get; set; }

    public bool Contains(double value) =>
        (MinimumIsExclusive ? value > Minimum : value >= Minimum)
        && (MaximumIsExclusive ? value < Maximum : value <= Maximum);

    /// <summary>For people: "(0, 1]", "[100, 10000000]", ">= 1", "> 0".</summary>
    public string Describe()
    {
        var hasMinimum = !double.IsNegativeInfinity(Minimum);
        var hasMaximum = !double.IsPositiveInfinity(Maximum);
        return (hasMinimum, hasMaximum) switch
        {
            (true, true) => $"{(MinimumIsExclusive ? "(" : "[")}{Format(Minimum)}, {Format(Maximum)}{(MaximumIsExclusive ? ")" : "]")}",
            (true, false) => $"{(MinimumIsExclusive ? ">" : ">=")} {Format(Minimum)}",
            (false, true) => $"{(MaximumIsExclusive ? "<" : "<=")} {Format(Maximum)}",
            _ => "any number",
        };
    }

    internal static string Format(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15
            ? value.ToString("0", CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture);
}
