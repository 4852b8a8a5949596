using System.Collections.Concurrent;
using System.Reflection;

namespace Pipeline.Configuration.Validation;

/// <summary>One settable property of a settings record, with its key and its constraints.</summary>
public sealed record ConfigProperty(string Key, PropertyInfo Info, ValueConstraints Constraints, bool IsNullable)
{
    public Type Type => Info.PropertyType;
}

/// <summary>
/// The keys of a settings record: its public properties with a public setter or init accessor,
/// base-record properties first, each in declaration order (so a training block's shared keys are
/// listed before the stage's own ones). Computed, get-only properties are not keys.
/// </summary>
public static class ConfigProperties
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<ConfigProperty>> Cache = new();
    private static readonly NullabilityInfoContext Nullability = new();

    public static IReadOnlyList<ConfigProperty> Of(Type type) => Cache.GetOrAdd(type, Discover);

    private static IReadOnlyList<ConfigProperty> Discover(Type type)
    {
        var chain = new List<Type>();
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType) chain.Insert(0, t);

        var properties = new List<ConfigProperty>();
        foreach (var declaring in chain)
        {
            var declared = declaring
                .GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0)
                .OrderBy(p => p.MetadataToken);
            foreach (var property in declared)
            {
                bool nullable;
                lock (Nullability) nullable = Nullable.GetUnderlyingType(property.PropertyType) is not null
                    || (!property.PropertyType.IsValueType && Nullability.Create(property).WriteState == NullabilityState.Nullable);
                properties.Add(new ConfigProperty(ConfigNaming.KeyOf(property), property, ValueConstraints.Of(property), nullable));
            }
        }

        var duplicate = properties.GroupBy(p => p.Key).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException($"{type.Name} has two properties spelled '{duplicate.Key}' in config files.");
        return properties;
    }
}
