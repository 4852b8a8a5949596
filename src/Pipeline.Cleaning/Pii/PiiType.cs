using System.Runtime.Serialization;

namespace Pipeline.Cleaning.Pii;

/// <summary>Kinds of personal or secret data the scrubber replaces (the config's <c>pii.types</c>).</summary>
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
    /// <summary>IPv4 and IPv6 addresses; <c>ip</c> in a config.</summary>
    [EnumMember(Value = "ip")]
    IpAddress,
    /// <summary>user:password pairs and passwords in assignments.</summary>
    Credential,
    /// <summary>API keys and tokens (known prefixes, high-entropy strings).</summary>
    Secret,
    /// <summary>Person names: context cues, gazetteer pairs and the config's extra names.</summary>
    Name,
}

public static class PiiTypeNames
{
    /// <summary>The tag inside a placeholder: <c>EMAIL</c> in <c>&lt;EMAIL&gt;</c>.</summary>
    public static string Tag(this PiiType type) => type switch
    {
        PiiType.Email => "EMAIL",
        PiiType.Phone => "PHONE",
        PiiType.Card => "CARD",
        PiiType.Iban => "IBAN",
        PiiType.IpAddress => "IP",
        PiiType.Credential => "CREDENTIAL",
        PiiType.Secret => "SECRET",
        PiiType.Name => "NAME",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown PII type."),
    };

    /// <summary>Counter name for reports: <c>email</c>, <c>ip_address</c>, ...</summary>
    public static string CounterName(this PiiType type) => type switch
    {
        PiiType.IpAddress => "ip_address",
        _ => type.ToString().ToLowerInvariant(),
    };
}
