using Pipeline.Configuration.Validation;

namespace Pipeline.Configuration;

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
        [PiiType.Email, PiiType.Phone, PiiType.Card, PiiType.Iban, PiiType.Ip, PiiType.Credential, PiiType.Secret, PiiType.Name];

    /// <summary>Extra person names to redact wherever they occur capitalised, on top of the detection above. Default empty.</summary>
    [DistinctItems, Pattern(@"^\S(.*\S)?$", "a name without leading or trailing spaces")]
    public IReadOnlyList<string> Names { get; init; } = [];

    /// <summary>
    /// What a found name becomes. Default <c>placeholder</c> (&lt;NAME&gt;, &lt;NAME_1&gt;, ...); <c>surrogate</c>
    /// writes a made-up name from the gazetteer instead, the same one for the same real name throughout an
    /// example, so greetings stay natural text ("Hello Maria,") for training.
    /// </summary>
    public NamePolicy NamePolicy { get; init; } = NamePolicy.Placeholder;

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

/// <summary>Kinds of personal data the redactor finds.</summary>
public enum PiiType
{
    /// <summary>E-mail addresses.</summary>
    Email,
    /// <summary>Phone numbers (international and common national formats).</summary>
    Phone,
    /// <summary>Payment card numbers that pass the Luhn check.</summary>
    Card,
    /// <summary>IBANs that pass the mod-97 check.</summary>
    Iban,
    /// <summary>IPv4 and IPv6 addresses.</summary>
    Ip,
    /// <summary>user:password pairs and passwords in assignments.</summary>
    Credential,
    /// <summary>API keys and tokens (known prefixes, high-entropy strings).</summary>
    Secret,
    /// <summary>Person names: context cues, gazetteer pairs and <see cref="PiiSettings.Names"/>.</summary>
    Name,
}

/// <summary>What a found person name is replaced by.</summary>
public enum NamePolicy
{
    /// <summary>A typed placeholder, &lt;NAME&gt; (numbered when an example holds several names).</summary>
    Placeholder,
    /// <summary>A made-up name from the gazetteer, consistent for the same real name within an example.</summary>
    Surrogate,
}
