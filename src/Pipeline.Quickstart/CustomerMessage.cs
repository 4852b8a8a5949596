namespace Pipeline.Quickstart;

/// <summary>
/// One generated customer message and the facts it was built from (the slot values), so a reference reply
/// can use them and a test can check that personal data never reaches a reply.
/// </summary>
public sealed record CustomerMessage
{
    public required SupportIntent Intent { get; init; }

    /// <summary>What the customer wrote: 10 to 40 words.</summary>
    public required string Text { get; init; }

    /// <summary>The name the customer signed with, if any (the reply may greet them by it).</summary>
    public string? CustomerName { get; init; }

    public string? OrderNumber { get; init; }

    public string? Product { get; init; }

    public string? City { get; init; }

    /// <summary>A phone number in the message: personal data the reply must not repeat.</summary>
    public string? PhoneNumber { get; init; }

    /// <summary>An e-mail address in the message: personal data the reply must not repeat.</summary>
    public string? Email { get; init; }

    public bool HasContactDetails => PhoneNumber is not null || Email is not null;
}
