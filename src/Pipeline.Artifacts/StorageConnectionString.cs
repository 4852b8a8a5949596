namespace Pipeline.Artifacts;

/// <summary>
/// What a storage connection string (ConnectionStrings__artifacts) points at. Accepted forms:
/// a plain folder path or <c>file://path</c> (local folder); an Azure Storage connection string
/// (<c>UseDevelopmentStorage=true</c>, or one with <c>AccountName=</c> or <c>BlobEndpoint=</c>),
/// optionally with a <c>ContainerName=name;</c> segment that this parser removes before the rest
/// goes to the Azure SDK (which would reject it).
/// </summary>
public abstract record StorageConnectionString
{
    public const string AcceptedForms =
        "Accepted: a folder path ('/data/artifacts', './artifacts'), 'file:///data/artifacts', or an Azure Storage " +
        "connection string ('UseDevelopmentStorage=true', or one with 'AccountName=' or 'BlobEndpoint='), " +
        "optionally with 'ContainerName=name;'.";

    private static readonly string[] AzureKeys = ["UseDevelopmentStorage", "AccountName", "BlobEndpoint"];

    /// <summary>A local folder.</summary>
    public sealed record LocalFolder(string Path) : StorageConnectionString;

    /// <summary>An Azure Blob account; <see cref="ContainerName"/> is null when the string did not name one.</summary>
    public sealed record AzureBlob(string AzureConnectionString, string? ContainerName) : StorageConnectionString;

    public static StorageConnectionString Parse(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new ArgumentException($"The storage connection string is empty. {AcceptedForms}", nameof(connectionString));
        var text = connectionString.Trim();

        if (text.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            var path = Uri.UnescapeDataString(text["file://".Length..]);
            if (path.Length == 0) throw Unrecognised(text, "the file:// URI has no path");
            return new LocalFolder(path);
        }

        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0 && !text[..scheme].Contains('=') && !text[..scheme].Contains(';'))
            throw Unrecognised(text, $"the scheme '{text[..scheme]}://' is not supported");

        if (!text.Contains('=') && !text.Contains(';')) return new LocalFolder(text);

        var segments = text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string? container = null;
        var kept = new List<string>();
        foreach (var segment in segments)
        {
            var equals = segment.IndexOf('=');
            var key = equals < 0 ? segment : segment[..equals].Trim();
            if (key.Equals("ContainerName", StringComparison.OrdinalIgnoreCase))
                container = BlobContainerName.Validate(segment[(equals + 1)..].Trim());
            else
                kept.Add(segment);
        }
        var isAzure = kept.Any(s => AzureKeys.Any(k => s.StartsWith(k + "=", StringComparison.OrdinalIgnoreCase)));
        if (!isAzure) throw Unrecognised(text, "it has '=' or ';' but none of UseDevelopmentStorage=, AccountName=, BlobEndpoint=");
        return new AzureBlob(string.Join(';', kept) + ";", container);
    }

    private static ArgumentException Unrecognised(string text, string problem) =>
        new($"The storage connection string '{Redact(text)}' is not recognised: {problem}. {AcceptedForms}", "connectionString");

    /// <summary>Hides account keys and SAS signatures so the string can appear in an error message.</summary>
    public static string Redact(string text)
    {
        var segments = text.Split(';');
        for (var i = 0; i < segments.Length; i++)
        {
            var equals = segments[i].IndexOf('=');
            if (equals < 0) continue;
            var key = segments[i][..equals].Trim();
            if (key.Equals("AccountKey", StringComparison.OrdinalIgnoreCase) || key.Equals("SharedAccessSignature", StringComparison.OrdinalIgnoreCase))
                segments[i] = key + "=***";
        }
        return string.Join(';', segments);
    }
}
