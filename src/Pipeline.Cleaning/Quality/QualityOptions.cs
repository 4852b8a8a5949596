namespace Pipeline.Cleaning.Quality;

/// <summary>Thresholds of the quality filters; every default is chosen for chat SFT and preference data.</summary>
public sealed record QualityOptions
{
    /// <summary>Fewest tokens in a whole example (all turns, plus the longer of chosen/rejected). Default 4: below that there is no exchange to learn from.</summary>
    public int MinTokens { get; init; } = 4;

    /// <summary>Most tokens in a whole example. Default 4096: the longest context the trainers are set up for; longer examples would be truncated mid-reply.</summary>
    public int MaxTokens { get; init; } = 4096;

    /// <summary>Scripts the data may be written in (names of <see cref="WritingScript"/>). Default Latin.</summary>
    public IReadOnlyList<string> AllowedScripts { get; init; } = ["Latin"];

    /// <summary>Least fraction of letters that must be in an allowed script. Default 0.8: tolerates a quoted foreign word or Greek symbols in maths.</summary>
    public double MinAllowedScriptFraction { get; init; } = 0.8;

    /// <summary>Word n-gram size for the repetition check. Default 3.</summary>
    public int RepeatedNGramSize { get; init; } = 3;

    /// <summary>Most fraction of a reply's word n-grams that may repeat an earlier one. Default 0.3: fluent prose stays under 0.1; looping generations go far above.</summary>
    public double MaxRepeatedNGramFraction { get; init; } = 0.3;

    /// <summary>Most punctuation-and-symbol characters per letter over the whole example. Default 1.0: prose ≈ 0.05, source code 0.2–0.6; above 1 are separator dumps, markup and garbage.</summary>
    public double MaxSymbolToLetterRatio { get; init; } = 1.0;

    /// <summary>Most mojibake markers (Ã©, â€™, U+FFFD ...) an example may hold. Default 0: one is already proof of a decoding error.</summary>
    public int MaxMojibakeMarkers { get; init; } = 0;

    /// <summary>Filters to skip, by drop reason (<see cref="DropReasons.QualityFilters"/>). Default none; e.g. ["refusal_only"] for safety data.</summary>
    public IReadOnlyList<string> DisabledFilters { get; init; } = [];

    public bool IsEnabled(string reason) => !DisabledFilters.Contains(reason);

    public IReadOnlyList<WritingScript> ParsedScripts() =>
        [.. AllowedScripts.Select(name => Enum.Parse<WritingScript>(name, ignoreCase: true))];

    /// <summary>Throws <see cref="InvalidCleaningOptionException"/> naming the first invalid option.</summary>
    public QualityOptions Validate()
    {
        const string self = nameof(QualityOptions);
        if (MinTokens < 0)
            throw new InvalidCleaningOptionException($"{self}.{nameof(MinTokens)}", MinTokens, "an integer ≥ 0");
        if (MaxTokens < Math.Max(1, MinTokens))
            throw new InvalidCleaningOptionException($"{self}.{nameof(MaxTokens)}", MaxTokens, $"an integer ≥ MinTokens ({MinTokens}) and ≥ 1");
        ValidateScripts();
        if (double.IsNaN(MinAllowedScriptFraction) || MinAllowedScriptFraction is < 0 or > 1)
            throw new InvalidCleaningOptionException($"{self}.{nameof(MinAllowedScriptFraction)}", MinAllowedScriptFraction, "a fraction in [0, 1]");
        if (RepeatedNGramSize is < 1 or > 16)
            throw new InvalidCleaningOptionException($"{self}.{nameof(RepeatedNGramSize)}", RepeatedNGramSize, "an integer from 1 to 16");
        if (double.IsNaN(MaxRepeatedNGramFraction) || MaxRepeatedNGramFraction is <= 0 or > 1)
            throw new InvalidCleaningOptionException($"{self}.{nameof(MaxRepeatedNGramFraction)}", MaxRepeatedNGramFraction, "a fraction in (0, 1]");
        if (double.IsNaN(MaxSymbolToLetterRatio) || MaxSymbolToLetterRatio <= 0)
            throw new InvalidCleaningOptionException($"{self}.{nameof(MaxSymbolToLetterRatio)}", MaxSymbolToLetterRatio, "a number > 0");
        if (MaxMojibakeMarkers < 0)
            throw new InvalidCleaningOptionException($"{self}.{nameof(MaxMojibakeMarkers)}", MaxMojibakeMarkers, "an integer ≥ 0");
        if (DisabledFilters is null)
            throw new InvalidCleaningOptionException($"{self}.{nameof(DisabledFilters)}", null, "a list (may be empty)");
        foreach (var reason in DisabledFilters)
            if (!DropReasons.QualityFilters.Contains(reason))
                throw new InvalidCleaningOptionException($"{self}.{nameof(DisabledFilters)}", reason, string.Join(", ", DropReasons.QualityFilters));
        return this;
    }

    private void ValidateScripts()
    {
        var allowed = string.Join(", ", Enum.GetNames<WritingScript>().Where(n => n != nameof(WritingScript.Other)));
        if (AllowedScripts is null || AllowedScripts.Count == 0)
            throw new InvalidCleaningOptionException($"{nameof(QualityOptions)}.{nameof(AllowedScripts)}", AllowedScripts is null ? null : "[]", $"one or more of {allowed}");
        foreach (var name in AllowedScripts)
            if (!Enum.TryParse<WritingScript>(name, ignoreCase: true, out var script) || script == WritingScript.Other
                || !Enum.IsDefined(script) || int.TryParse(name, out _))
                throw new InvalidCleaningOptionException($"{nameof(QualityOptions)}.{nameof(AllowedScripts)}", name, allowed);
    }
}
