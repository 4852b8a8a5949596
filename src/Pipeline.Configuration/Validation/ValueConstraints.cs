using System.Reflection;

namespace Pipeline.Configuration.Validation;

/// <summary>The constraint attributes of one property, read once.</summary>
public sealed record ValueConstraints(
    RangeAttribute? Range,
    PatternAttribute? Pattern,
    CountAttribute? Count,
    RequiredAttribute? Required,
    bool DistinctItems,
    IReadOnlyList<string> ScalarShorthand)
{
    public static readonly ValueConstraints None = new(null, null, null, null, false, []);

    public static ValueConstraints Of(PropertyInfo property) => new(
        property.GetCustomAttribute<RangeAttribute>(),
        property.GetCustomAttribute<PatternAttribute>(),
        property.GetCustomAttribute<CountAttribute>(),
        property.GetCustomAttribute<RequiredAttribute>(),
        property.GetCustomAttribute<DistinctItemsAttribute>() is not null,
        property.GetCustomAttribute<ScalarShorthandAttribute>()?.Words ?? []);

    /// <summary>What applies to each item of a list: the value checks, not the list checks.</summary>
    public ValueConstraints ForItems() => this with { Count = null, Required = null, DistinctItems = false, ScalarShorthand = [] };
}
