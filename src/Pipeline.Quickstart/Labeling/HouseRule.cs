namespace Pipeline.Quickstart.Labeling;

/// <summary>The rules of the house style, one verdict each. <see cref="HouseStyle"/> documents every rule and its weight.</summary>
public enum HouseRule
{
    /// <summary>Starts with "Hi" or "Hello" (a name or "there" may follow).</summary>
    Greeting,

    /// <summary>Answers in <see cref="HouseStyle.MinWords"/> to <see cref="HouseStyle.MaxWords"/> words.</summary>
    Brevity,

    /// <summary>Health questions go to the health team, money and legal questions to the billing and legal team, nothing else to either.</summary>
    Routing,

    /// <summary>Mentions the action of the message's intent (its keyword, e.g. "refund" for a refund request).</summary>
    AddressesIntent,

    /// <summary>Never repeats a phone number or an e-mail address that appears in the customer's message.</summary>
    NoRepeatedContactDetails,

    /// <summary>Ends with the house sign-off, "— Support Team".</summary>
    SignOff,

    /// <summary>No word of three or more letters in capitals only.</summary>
    NoShouting,

    /// <summary>No word or phrase from the rude list.</summary>
    Polite,
}
