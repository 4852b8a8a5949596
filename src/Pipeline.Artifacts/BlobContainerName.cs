namespace Pipeline.Artifacts;

/// <summary>Azure's container naming rules, checked up front so the error names the container instead of a 400 from the service.</summary>
public static class BlobContainerName
{
    /// <summary>The container used when a connection string does not name one.</summary>
    public const string DefaultArtifacts = "artifacts";

    public static string Validate(string? name)
    {
        var problem = name switch
        {
            null or "" => "it is empty",
            { Length: < 3 or > 63 } => $"it is {name.Length} characters long; 3 to 63 are allowed",
            _ when !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') => "only lowercase letters, digits and '-' are allowed",
            _ when name[0] == '-' || name[^1] == '-' => "it starts or ends with '-'",
            _ when name.Contains("--", StringComparison.Ordinal) => "it contains '--'",
            _ => null,
        };
        if (problem is not null)
            throw new ArgumentException($"The blob container name '{name}' is not valid: {problem}. Container names are 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.", nameof(name));
        return name!;
    }
}
