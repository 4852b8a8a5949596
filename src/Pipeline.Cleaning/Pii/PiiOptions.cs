namespace Pipeline.Cleaning.Pii;

/// <summary>What a found person name is replaced by.</summary>
public enum NameReplacement
{
    /// <summary>&lt;NAME&gt;, numbered when a conversation holds several names (see <see cref="PlaceholderAssigner"/>).</summary>
    Placeholder,
    /// <summary>A made-up name from the gazetteer, the same for the same real name (see <see cref="SurrogateNames"/>).</summary>
    Surrogate,
}

/// <summary>What the scrubber looks for. The defaults turn every detector on.</summary>
public sealed record PiiOptions
{
    /// <summary>The PII types to scrub. Default: all of them.</summary>
    public IReadOnlyList<PiiType> EnabledTypes { get; init; } = Enum.GetValues<PiiType>();

    /// <summary>Given names (and surnames) to scrub wherever they occur capitalised. Matched case-sensitively, as written. Default: <see cref="DefaultPersonNames.All"/>.</summary>
    public IReadOnlyList<string> PersonNames { get; init; } = DefaultPersonNames.All;

    /// <summary>Also learn names from context cues: greetings ("Hi Anna,"), sign-offs ("Regards, Tom Becker"), introductions ("my name is"), titles ("Mr. Okafor"), in several languages. Default true.</summary>
    public bool DiscoverNamesFromGreetingsAndSignatures { get; init; } = true;

    /// <summary>Also take capitalised given name + surname pairs found in the shipped <see cref="NameGazetteer"/> ("Lucía Fernández"). Default true.</summary>
    public bool UseNameGazetteer { get; init; } = true;

    /// <summary>What a found name becomes: a placeholder (default) or a consistent made-up name (<see cref="NameReplacement.Surrogate"/>).</summary>
    public NameReplacement NameReplacement { get; init; } = NameReplacement.Placeholder;

    /// <summary>
    /// Seed of the surrogate choice. The same real name gets the same surrogate under the same seed, in every example,
    /// so near-duplicates stay near-duplicates after scrubbing.
    /// </summary>
    public ulong SurrogateSeed { get; init; }

    /// <summary>Minimum length of an unprefixed token to be considered a secret. Default 24: shorter random strings are mostly ids and slugs.</summary>
    public int SecretMinLength { get; init; } = 24;

    /// <summary>Minimum Shannon entropy (bits per character) of an unprefixed secret. Default 3.5: random base62 of 24+ characters scores 4.1 or more; English words and identifiers rarely reach it at that length.</summary>
    public double SecretEntropyThreshold { get; init; } = 3.5;

    /// <summary>Minimum fraction of lower/upper/digit class changes between neighbouring characters of an unprefixed secret. Default 0.35: random base62 ≈ 0.6, camelCase identifiers ≈ 0.3, paths and snake_case lower.</summary>
    public double SecretMinClassChangeRatio { get; init; } = 0.35;

    /// <summary>Maximum fraction of an unprefixed secret's characters in word-like runs ("Word", "word"). Default 0.6: random base62 has ≈ 0.3 (99th percentile 0.7 at 24 characters), identifiers 0.6–1. With the other defaults, 94% of random 24-character and 98% of 32-character base62 keys are caught.</summary>
    public double SecretMaxWordLikeFraction { get; init; } = 0.6;

    public bool IsEnabled(PiiType type) => EnabledTypes.Contains(type);

    /// <summary>Throws <see cref="InvalidCleaningOptionException"/> naming the first invalid option.</summary>
    public PiiOptions Validate()
    {
        if (EnabledTypes is null)
            throw new InvalidCleaningOptionException($"{nameof(PiiOptions)}.{nameof(EnabledTypes)}", null, $"a list of {AllowedTypes()}");
        foreach (var type in EnabledTypes)
            if (!Enum.IsDefined(type))
                throw new InvalidCleaningOptionException($"{nameof(PiiOptions)}.{nameof(EnabledTypes)}", (int)type, AllowedTypes());
        if (PersonNames is null)
            throw new InvalidCleaningOptionException($"{nameof(PiiOptions)}.{nameof(PersonNames)}", null, "a list of names (may be empty)");
        for (var i = 0; i < PersonNames.Count; i++)
            if (string.IsNullOrWhiteSpace(PersonNames[i]) || PersonNames[i].Any(char.IsWhiteSpace))
                throw new InvalidCleaningOptionException($"{nameof(PiiOptions)}.{nameof(PersonNames)}[{i}]", PersonNames[i], "a single non-empty word without spaces");
        if (!Enum.IsDefined(NameReplacement))
            throw new InvalidCleaningOptionException($"{nameof(PiiOptions)}.{nameof(NameReplacement)}", (int)NameReplacement, string.Join(", ", Enum.GetNames<NameReplacement>()));
        if (SecretMinLength is < 12 or > 4096)
            throw new InvalidCleaningOptionException($"{nameof(PiiOptions)}.{nameof(SecretMinLength)}", SecretMinLength, "an integer from 12 to 4096");
        if (double.IsNaN(SecretEntropyThreshold) || SecretEntropyThreshold is <= 0 or > 7)
            throw new InvalidCleaningOptionException($"{nameof(PiiOptions)}.{nameof(SecretEntropyThreshold)}", SecretEntropyThreshold, "bits per character in (0, 7]");
        if (double.IsNaN(SecretMinClassChangeRatio) || SecretMinClassChangeRatio is < 0 or > 1)
            throw new InvalidCleaningOptionException($"{nameof(PiiOptions)}.{nameof(SecretMinClassChangeRatio)}", SecretMinClassChangeRatio, "a fraction in [0, 1]");
        if (double.IsNaN(SecretMaxWordLikeFraction) || SecretMaxWordLikeFraction is < 0 or > 1)
            throw new InvalidCleaningOptionException($"{nameof(PiiOptions)}.{nameof(SecretMaxWordLikeFraction)}", SecretMaxWordLikeFraction, "a fraction in [0, 1]");
        return this;
    }

    private static string AllowedTypes() => string.Join(", ", Enum.GetNames<PiiType>());
}
