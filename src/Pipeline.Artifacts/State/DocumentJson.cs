using System.Text.Json;

namespace Pipeline.Artifacts.State;

/// <summary>Checks shared by every document store, so all three refuse the same inputs with the same words.</summary>
internal static class DocumentJson
{
    public static void ValidatePut(string key, string json)
    {
        ArtifactKey.ValidateDocumentKey(key);
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var _ = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Document '{key}' is not valid JSON: {e.Message}", nameof(json), e);
        }
    }
}
