using Pipeline.Configuration.Validation;

namespace Pipeline.Configuration;

/// <summary>Redaction of personal data: each match is replaced by a typed placeholder such as [EMAIL].</summary>
public sealed record PiiSettings : IValidatableSettings
{
    /// <summary>Default true: a model can repeat personal data it was trained on, word for word.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// What to redact. Default: every detector except <c>name</c>, which needs <see cref="Names"/>
    /// (person names cannot be found reliably by pattern, so they are matched from a list).
    /// </summary>
    [DistinctItems]
    public IReadOnlyList<PiiType> Types { get; init; } =
        [PiiType.Email, PiiType.Phone, PiiType.Card, PiiType.Iban, PiiType.Ip, PiiType.Credential, PiiType.Secret];

    /// <summary>Person names to redact when <see cref="Types"/> includes <c>name</c>. Default empty.</summary>
    [DistinctItems, Pattern(@"^\S(.*\S)?$", "a name without leading or trailing spaces")]
    public IReadOnlyList<string> Names { get; init; } = [];

    void IValidatableSettings.Validate(SettingsValidationContext context)
    {
        if (!context.IsValid("types", "names")) return;
        var redactsNames = Types.Contains(PiiType.Name);
        if (redactsNames && Names.Count == 0)
            context.Error("types", "includes name, but names is empty; list the names to redact, e.g. names: [Anna, Tom]");
        else if (!redactsNames && Names.Count > 0)
            context.Error("names", "only used when types includes name; add name to types or remove names");
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
    /// <summary>Person names from <see cref="PiiSettings.Names"/>.</summary>
    Name,
}
