using Pipeline.Cleaning.Pii;
using Pipeline.Configuration.Validation;

namespace Pipeline.Configuration.Ingest;

/// <summary>
/// Redaction of personal data: each match is replaced by a typed placeholder such as &lt;EMAIL&gt;; person names by
/// &lt;NAME&gt; or, with <see cref="NamePolicy"/> <c>surrogate</c>, by a consistent made-up name.
/// </summary>
public sealed record PiiSettings : IValidatableSettings
{
    /// <summary>Default true: a model can repeat personal data it was trained on, word for word.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// What to redact. Default: every detector. Person names need no list: they are found from context cues
    /// (greetings, sign-offs, "my name is"), from given name + surname pairs in a shipped gazetteer, and from
    /// <see cref="Names"/>.
    /// </summary>
    [DistinctItems]
    public IReadOnlyList<PiiType> Types { get; init; } =
        [PiiType.Email, PiiType.Phone, PiiType.Card, PiiType.Iban, PiiType.IpAddress, PiiType.Credential, PiiType.Secret, PiiType.Name];

    /// <summary>Extra person names to redact wherever they occur capitalised, on top of the detection above. Default empty.</summary>
    [DistinctItems, Pattern(@"^\S(.*\S)?$", "a name without leading or trailing spaces")]
    public IReadOnlyList<string> Names { get; init; } = [];

    /// <summary>
    /// What a found name becomes. Default <c>placeholder</c> (&lt;NAME&gt;, &lt;NAME_1&gt;, ...); <c>surrogate</c>
    /// writes a made-up name from the gazetteer instead, the same one for the same real name throughout an
    /// example, so greetings stay natural text ("Hello Maria,") for training.
    /// </summary>
    public NameReplacement NamePolicy { get; init; } = NameReplacement.Placeholder;

    void IValidatableSettings.Validate(SettingsValidationContext context)
    {
        if (!context.IsValid("types", "names", "name_policy")) return;
        if (Types.Contains(PiiType.Name)) return;
        if (Names.Count > 0)
            context.Error("names", "only used when types includes name; add name to types or remove names");
        else if (context.IsSet("name_policy"))
            context.Error("name_policy", "only used when types includes name; add name to types or remove name_policy");
    }
}
