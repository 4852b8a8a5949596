using System.Text;

namespace Pipeline.Quickstart.Scenarios;

/// <summary>
/// Deterministic generator of customer messages: an intent's wording filled with slot values, sometimes with an
/// opener, a line of personal data (a phone number or an e-mail) and a signature. The same seed gives the same
/// messages in the same order. Messages are 10 to 40 words, short enough for a tiny model.
/// </summary>
public sealed class SupportDeskScenarios
{
    /// <summary>Share of messages that carry a phone number or an e-mail (the PII the reply must not repeat).</summary>
    public const double ContactDetailsProbability = 0.3;

    /// <summary>Share of messages signed with a name (the reply may greet by it).</summary>
    public const double SignatureProbability = 0.5;

    /// <summary>Share of messages that open with a greeting of their own.</summary>
    public const double OpenerProbability = 0.4;

    public const int MinWords = 10;
    public const int MaxWords = 40;

    private readonly SeededRandom random;

    public SupportDeskScenarios(int seed) => random = SeededRandom.ForStream(seed, "support-desk-scenarios");

    /// <summary>
    /// <paramref name="count"/> messages with distinct texts, the intents in turn (each round of intents in a
    /// shuffled order), so every intent gets an equal share give or take one.
    /// </summary>
    public IReadOnlyList<CustomerMessage> Generate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var messages = new List<CustomerMessage>(count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var round = new List<SupportIntent>(SupportIntents.All);
        var attempts = 0;
        while (messages.Count < count)
        {
            random.Shuffle(round);
            foreach (var intent in round)
            {
                if (messages.Count == count) break;
                // Duplicates are redrawn; the template space is thousands of times larger than any request.
                CustomerMessage message;
                do
                {
                    if (++attempts > 100 * (count + 10))
                        throw new InvalidOperationException($"Could not draw {count} distinct customer messages; the templates allow fewer.");
                    message = Next(intent);
                }
                while (!seen.Add(message.Text));
                messages.Add(message);
            }
        }
        return messages;
    }

    /// <summary>One message of the given intent.</summary>
    public CustomerMessage Next(SupportIntent intent)
    {
        var template = random.Pick(MessageTemplates.For(intent));
        string? order = null, product = null, city = null;
        var core = FillSlots(template, ref order, ref product, ref city);

        var firstName = random.Pick(SlotValues.FirstNames);
        var signed = random.Chance(SignatureProbability);
        string? phone = null, email = null, contactLine = null;
        if (random.Chance(ContactDetailsProbability))
        {
            phone = SlotValues.PhoneNumber(random);
            email = SlotValues.Email(random, firstName);
            contactLine = random.Pick(MessageTemplates.ContactLines);
            if (!contactLine.Contains("{phone}")) phone = null;
            if (!contactLine.Contains("{email}")) email = null;
            contactLine = contactLine.Replace("{phone}", phone).Replace("{email}", email);
        }
        var opener = random.Chance(OpenerProbability) ? random.Pick(MessageTemplates.Openers) : null;
        var signature = signed
            ? random.Pick(MessageTemplates.Signatures).Replace("{name}", firstName).Replace("{surname}", random.Pick(SlotValues.Surnames))
            : null;

        var text = Compose(opener, core, contactLine, signature);
        // Every wording is short; dropping the optional parts keeps the rare long combination under the limit.
        if (TextWords.Count(text) > MaxWords) (opener, text) = (null, Compose(null, core, contactLine, signature));
        if (TextWords.Count(text) > MaxWords) (signed, text) = (false, Compose(null, core, contactLine, null));

        return new CustomerMessage
        {
            Intent = intent,
            Text = text,
            CustomerName = signed ? firstName : null,
            OrderNumber = order,
            Product = product,
            City = city,
            PhoneNumber = phone,
            Email = email,
        };
    }

    private string FillSlots(string template, ref string? order, ref string? product, ref string? city)
    {
        var text = new StringBuilder(template);
        if (template.Contains("{order}")) text.Replace("{order}", order = SlotValues.OrderNumber(random));
        if (template.Contains("{product}")) text.Replace("{product}", product = random.Pick(SlotValues.Products));
        if (template.Contains("{care}")) text.Replace("{care}", product = random.Pick(SlotValues.CareProducts));
        if (template.Contains("{city}")) text.Replace("{city}", city = random.Pick(SlotValues.Cities));
        if (template.Contains("{past}")) text.Replace("{past}", random.Pick(SlotValues.PastDays));
        if (template.Contains("{days}")) text.Replace("{days}", random.Pick(SlotValues.DayCounts));
        if (template.Contains("{amount}")) text.Replace("{amount}", SlotValues.Amount(random));
        if (template.Contains("{plan}")) text.Replace("{plan}", random.Pick(SlotValues.Plans));
        return text.ToString();
    }

    private static string Compose(string? opener, string core, string? contactLine, string? signature)
    {
        var parts = new List<string>(4);
        if (opener is not null) parts.Add(opener);
        parts.Add(opener is null ? core : TextCase.AfterComma(core));
        if (contactLine is not null) parts.Add(contactLine);
        var body = string.Join(" ", parts);
        return signature is null ? body : body + "\n" + signature;
    }
}
