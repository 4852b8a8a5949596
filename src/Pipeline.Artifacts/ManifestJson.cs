using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using System.Text.Json;
using Pipeline.Contracts;

namespace Pipeline.Artifacts;

/// <summary>
/// Reads and writes manifest.json (snake_case: kind, producer_stage, run_id, config_hash, parents,
/// created_at, files: [{path, size, sha256}]). Parsing is strict so a hand-edited or truncated
/// manifest is reported as corruption instead of silently yielding an artifact with fewer files.
/// </summary>
public static class ManifestJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // Manifests are read by people and tools, never embedded in HTML: keep '+' and non-ASCII readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Serialize(ArtifactManifest manifest)
    {
        var document = new ManifestDocument
        {
            Id = manifest.Id,
            Kind = manifest.Kind.Name(),
            ProducerStage = manifest.ProducerStage,
            RunId = manifest.RunId,
            ConfigHash = manifest.ConfigHash,
            Parents = [.. manifest.Parents],
            CreatedAt = manifest.CreatedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            Files = [.. manifest.Files.Select(f => new FileDocument { Path = f.Path, Size = f.Size, Sha256 = f.Sha256 })],
        };
        return JsonSerializer.SerializeToUtf8Bytes(document, Options);
    }

    /// <summary>Parses a manifest read from the location of <paramref name="artifactId"/>; the location, not the stored id, names the artifact.</summary>
    public static ArtifactManifest Deserialize(string artifactId, ReadOnlySpan<byte> json)
    {
        ManifestDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<ManifestDocument>(json, Options);
        }
        catch (JsonException e)
        {
            throw Corrupt(artifactId, $"is not valid JSON ({e.Message})");
        }
        if (document is null) throw Corrupt(artifactId, "is JSON null");

        if (!Enum.TryParse<ArtifactKind>(document.Kind, ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || int.TryParse(document.Kind, out _))
            throw Corrupt(artifactId, $"has kind '{document.Kind}'; expected one of {string.Join(", ", Enum.GetNames<ArtifactKind>().Select(n => n.ToLowerInvariant()))}");
        if (string.IsNullOrEmpty(document.ProducerStage)) throw Corrupt(artifactId, "has no producer_stage");
        if (document.ConfigHash is null) throw Corrupt(artifactId, "has no config_hash");
        if (document.Parents is null) throw Corrupt(artifactId, "has no parents list");
        if (document.Files is null) throw Corrupt(artifactId, "has no files list");
        if (!DateTimeOffset.TryParse(document.CreatedAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var createdAt))
            throw Corrupt(artifactId, $"has created_at '{document.CreatedAt}', which is not an ISO 8601 time");

        var files = new List<ArtifactFileEntry>(document.Files.Count);
        for (var i = 0; i < document.Files.Count; i++)
        {
            var file = document.Files[i];
            if (file.Path is null || !ArtifactKey.IsValid(file.Path, ArtifactKey.MaxRelativePathLength, out _))
                throw Corrupt(artifactId, $"has an invalid path '{ArtifactKey.Printable(file.Path)}' in files[{i}]");
            if (file.Size < 0) throw Corrupt(artifactId, $"has a missing or negative size for '{file.Path}'");
            if (file.Sha256 is null || file.Sha256.Length != 64 || !file.Sha256.All(char.IsAsciiHexDigitLower))
                throw Corrupt(artifactId, $"has sha256 '{file.Sha256}' for '{file.Path}'; expected 64 lowercase hex digits");
            files.Add(new ArtifactFileEntry(file.Path, file.Size, file.Sha256));
        }

        return new ArtifactManifest
        {
            Id = artifactId,
            Kind = kind,
            ProducerStage = document.ProducerStage,
            RunId = document.RunId,
            ConfigHash = document.ConfigHash,
            Parents = document.Parents,
            CreatedAt = createdAt,
            Files = files,
        };
    }

    private static ArtifactCorruptException Corrupt(string artifactId, string problem) =>
        new(artifactId, ArtifactManifest.FileName, problem);

    private sealed class ManifestDocument
    {
        public string? Id { get; set; }
        public string? Kind { get; set; }
        public string? ProducerStage { get; set; }
        public Guid? RunId { get; set; }
        public string? ConfigHash { get; set; }
        public List<string>? Parents { get; set; }
        public string? CreatedAt { get; set; }
        public List<FileDocument>? Files { get; set; }
    }

    private sealed class FileDocument
    {
        public string? Path { get; set; }
        public long Size { get; set; } = -1;
        public string? Sha256 { get; set; }
    }
}
