using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Configuration.Validation;

namespace Pipeline.Configuration.Json;

/// <summary>Writes and reads enums with their config spelling (prompt_tuning, bfloat16, sharegpt).</summary>
internal sealed class ConfigEnumJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(ConfigEnumJsonConverter<>).MakeGenericType(typeToConvert))!;
}

internal sealed class ConfigEnumJsonConverter<TEnum> : JsonConverter<TEnum> where TEnum : struct, Enum
{
    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        var names = ConfigNaming.NamesOf(typeof(TEnum));
        return (TEnum?)names.FirstOrDefault(n => n.Name == text)?.Value
            ?? throw new JsonException($"'{text}' is not one of {string.Join(", ", names.Select(n => n.Name))}.");
    }

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
        writer.WriteStringValue(ConfigNaming.NameOf(value));
}
