using System.Text;

namespace Pipeline.Artifacts;

/// <summary>
/// The one place that decides which artifact ids, relative file paths and document keys are allowed.
/// The same string becomes a folder path on disk and a blob name in Azure, so the rules are the
/// intersection of both, plus Windows' reserved characters so an artifact can be downloaded anywhere.
/// </summary>
public static class ArtifactKey
{
    /// <summary>Longest artifact id or document key. Id + '/' + path must stay under Azure's 1024-character blob name limit.</summary>
    public const int MaxIdLength = 400;

    /// <summary>Longest relative path of a file inside an artifact.</summary>
    public const int MaxRelativePathLength = 500;

    /// <summary>Longest single segment: ext4 and NTFS stop at 255 bytes per name; this leaves room for UTF-8 and temp suffixes.</summary>
    public const int MaxSegmentLength = 200;

    /// <summary>Characters Windows refuses in file names (the backslash is also a separator there).</summary>
    private const string ForbiddenCharacters = "\\:*?\"<>|";

    public const string AllowedDescription =
        "Allowed: segments separated by '/', each 1-200 printable characters except \\ : * ? \" < > |, " +
        "no '.' or '..' segment, no leading, trailing or doubled '/', no leading or trailing spaces in a segment.";

    /// <summary>Validates an artifact id such as <c>runs/3f2a.../ingest/dataset</c> and returns it unchanged.</summary>
    public static string ValidateId(string artifactId) => Validate(artifactId, "artifact id", MaxIdLength);

    /// <summary>Validates a document key (same rules as artifact ids) and returns it unchanged.</summary>
    public static string ValidateDocumentKey(string key) => Validate(key, "document key", MaxIdLength);

    /// <summary>Validates the path of a file inside an artifact, such as <c>shards/part-0001.jsonl</c>.</summary>
    public static string ValidateRelativePath(string relativePath, string? artifactId = null)
    {
        const string what = "relative path";
        var problem = FindProblem(relativePath, MaxRelativePathLength);
        if (problem is null && (relativePath == ArtifactManifest.FileName || relativePath.EndsWith("/" + ArtifactManifest.FileName, StringComparison.Ordinal)))
            problem = $"the file name '{ArtifactManifest.FileName}' is reserved for the store's own manifest; choose another name";
        if (problem is not null) throw new InvalidArtifactKeyException(relativePath, what, problem, artifactId);
        return relativePath;
    }

    /// <summary>
    /// Validates a listing prefix: null or empty lists everything; otherwise the same rules as an id,
    /// except that it may end with '/' (whole segments) or stop in the middle of a segment.
    /// </summary>
    public static string ValidatePrefix(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix)) return "";
        var body = prefix.EndsWith('/') ? prefix[..^1] : prefix;
        Validate(body, "listing prefix", MaxIdLength);
        return prefix;
    }

    /// <summary>True when <paramref name="key"/> passes the id rules; <paramref name="problem"/> says why not.</summary>
    public static bool IsValid(string? key, int maxLength, out string? problem)
    {
        problem = FindProblem(key, maxLength);
        return problem is null;
    }

    private static string Validate(string? key, string what, int maxLength)
    {
        var problem = FindProblem(key, maxLength);
        if (problem is not null) throw new InvalidArtifactKeyException(key, what, problem);
        return key!;
    }

    private static string? FindProblem(string? key, int maxLength)
    {
        if (string.IsNullOrEmpty(key)) return "it is empty";
        if (key.Length > maxLength) return $"it is {key.Length} characters long; the limit is {maxLength}";
        if (key.StartsWith('/')) return "it starts with '/' (absolute paths are not allowed; use a relative key)";
        if (key.EndsWith('/')) return "it ends with '/'";
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (char.IsControl(c)) return $"it contains the control character U+{(int)c:X4} at position {i}";
            if (c == '\\') return $"it contains a backslash at position {i} (use '/' as the separator)";
            if (ForbiddenCharacters.Contains(c)) return $"it contains the character '{c}' at position {i}";
            if (char.IsHighSurrogate(c) && i + 1 < key.Length && char.IsLowSurrogate(key[i + 1])) { i++; continue; }
            if (char.IsSurrogate(c)) return $"it contains an unpaired surrogate at position {i}";
        }
        var segments = key.Split('/');
        for (var s = 0; s < segments.Length; s++)
        {
            var segment = segments[s];
            if (segment.Length == 0) return $"segment {s + 1} is empty ('//')";
            if (segment is "." or "..") return $"segment {s + 1} is '{segment}' (relative navigation is not allowed)";
            if (segment.Length > MaxSegmentLength) return $"segment {s + 1} is {segment.Length} characters long; the limit is {MaxSegmentLength}";
            if (char.IsWhiteSpace(segment[0]) || char.IsWhiteSpace(segment[^1])) return $"segment {s + 1} starts or ends with a space";
        }
        return null;
    }

    /// <summary>Renders a key for an error message with control characters made visible.</summary>
    internal static string Printable(string? key)
    {
        if (key is null) return "(null)";
        var builder = new StringBuilder(key.Length + 8);
        foreach (var c in key)
        {
            if (char.IsControl(c)) builder.Append($"\\u{(int)c:X4}");
            else builder.Append(c);
        }
        return builder.ToString();
    }
}
