using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Pipeline.Configuration.Validation;

namespace Pipeline.Configuration.Json;

/// <summary>
/// The JSON form of settings records: the same keys as the YAML (snake_case or the YamlMember alias),
/// in the records' declaration order, only settable properties. Being deterministic, it doubles as the
/// canonical form hashed into <see cref="RunConfig.ConfigHash"/>.
/// </summary>
internal static class ConfigJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { UseConfigKeys } },
        Converters = { new ConfigEnumJsonConverterFactory() },
        // A key this version does not know means sender and receiver disagree on the settings; say so.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = false,
    };

    public static string Canonical(RunConfig config) => JsonSerializer.Serialize(config, Options);

    public static string Hash(RunConfig config) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(config))));

    private static void UseConfigKeys(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object) return;
        var keys = ConfigProperties.Of(info.Type);
        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            var property = info.Properties[i];
            var key = property.AttributeProvider is PropertyInfo reflected
                ? keys.FirstOrDefault(k => k.Info.Name == reflected.Name && k.Info.DeclaringType == reflected.DeclaringType)
                : null;
            if (key is null)
            {
                info.Properties.RemoveAt(i); // computed, get-only members (EnabledStages, ConfigHash) are not settings
                continue;
            }
            property.Name = key.Key;
            property.Order = keys.ToList().IndexOf(key);
        }
    }
}
