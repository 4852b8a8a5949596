namespace Pipeline.Cleaning.Pii;

/// <summary>Kinds of personal or secret data the scrubber replaces.</summary>
public enum PiiType
{
    Email,
    Phone,
    Card,
    Iban,
    IpAddress,
    Credential,
    Secret,
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
