using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Serialization;
using System.Text;
using YamlDotNet.Serialization;

namespace Pipeline.Configuration.Validation;

/// <summary>
/// How a C# member is spelled in a config: the <see cref="YamlMemberAttribute.Alias"/> when there is
/// one (for the values of an enum that a library below this project owns, which cannot depend on YamlDotNet, the BCL's
/// <see cref="EnumMemberAttribute.Value"/>), otherwise the member's name in snake_case. The YAML binder and the JSON form share this, so a
/// key reads the same in a config file, a message and a log.
/// </summary>
public static class ConfigNaming
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<EnumName>> EnumNamesCache = new();

    /// <summary>One value of an enum with its config spelling.</summary>
    public sealed record EnumName(string Name, Enum Value);

    /// <summary>
    /// LearningRate → learning_rate, Float32 → float32 (digits stay attached), IPAddress → ip_address.
    /// </summary>
    public static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var previous = i > 0 ? name[i - 1] : '\0';
                var next = i + 1 < name.Length ? name[i + 1] : '\0';
                var startsWord = i > 0 && (char.IsLower(previous) || char.IsDigit(previous)
                                           || (char.IsUpper(previous) && char.IsLower(next)));
                if (startsWord) builder.Append('_');
                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    /// <summary>The key of a property in a config file.</summary>
    public static string KeyOf(PropertyInfo property) =>
        property.GetCustomAttribute<YamlMemberAttribute>()?.Alias ?? ToSnakeCase(property.Name);

    /// <summary>The values of an enum, in declaration order, with their config spellings.</summary>
    public static IReadOnlyList<EnumName> NamesOf(Type enumType) =>
        EnumNamesCache.GetOrAdd(enumType, static type =>
            type.GetFields(BindingFlags.Public | BindingFlags.Static)
                .OrderBy(field => field.MetadataToken)
                .Select(field => new EnumName(
                    field.GetCustomAttribute<YamlMemberAttribute>()?.Alias ?? field.GetCustomAttribute<EnumMemberAttribute>()?.Value ?? ToSnakeCase(field.Name),
                    (Enum)field.GetValue(null)!))
                .ToArray());

    /// <summary>The config spelling of one enum value (lora, prompt_tuning, bfloat16).</summary>
    public static string NameOf(Enum value) =>
        NamesOf(value.GetType()).FirstOrDefault(n => n.Value.Equals(value))?.Name
        ?? throw new ArgumentOutOfRangeException(nameof(value), value, $"{value.GetType().Name} has no member {value}.");

    /// <summary>The config spelling of one enum value.</summary>
    public static string NameOf<TEnum>(TEnum value) where TEnum : struct, Enum => NameOf((Enum)value);
}
