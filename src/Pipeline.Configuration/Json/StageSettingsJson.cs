using System.Text.Json;
using Pipeline.Configuration.Json;

namespace Pipeline.Configuration.Json;

/// <summary>
/// A stage's settings as JSON, for <c>IStageCommand.SettingsJson</c>: the run serializes its section,
/// the stage service reads it back as its settings record. Keys and enum values are spelled as in the
/// YAML, so the JSON in a message or log reads like the config.
/// </summary>
public static class StageSettingsJson
{
    /// <summary>Serializes settings as their runtime type (an <see cref="SftSettings"/> keeps its sft keys).</summary>
    public static string Serialize(StageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return JsonSerializer.Serialize(settings, settings.GetType(), ConfigJson.Options);
    }

    /// <summary>Reads settings back; missing keys take their defaults, unknown keys are an error.</summary>
    public static T Deserialize<T>(string json) where T : StageSettings
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<T>(json, ConfigJson.Options)
                ?? throw new JsonException("the JSON is null");
        }
        catch (JsonException error)
        {
            throw new FormatException($"The {typeof(T).Name} settings JSON cannot be read: {error.Message}", error);
        }
    }
}
