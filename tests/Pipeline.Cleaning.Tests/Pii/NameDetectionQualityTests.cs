using Pipeline.Cleaning.Pii;

namespace Pipeline.Cleaning.Tests.Pii;

/// <summary>
/// Recall of person names with no user list (greetings, sign-offs, introductions and mid-sentence, in six
/// languages) and false positives on look-alikes (products, cities, months, "Will", "May", "Rose").
/// </summary>
public sealed class NameDetectionQualityTests(ITestOutputHelper output)
{
    /// <summary>Names in no list of ours, so only the context can give them away.</summary>
    private static readonly string[] UnlistedGiven = ["Zoltan", "Thandiwe", "Eero", "Saoirse", "Bartosz", "Anahí", "Kaito", "Tiberius", "Radomir", "Ifeoma", "Leocadia", "Yaroslav"];
    private static readonly string[] UnlistedSurnames = ["Szabo", "Kowalewski", "Achterberg", "Quispe", "Okwuosa", "Haverkamp", "Lindgren", "Vasquez", "Tammsaar", "Ilunga"];

    private static readonly string[] ListedGiven = ["Anna", "Jürgen", "Camille", "Lucía", "Giulia", "João", "Priya", "Hiroshi", "Fatima", "Lars", "Olga", "Mateo", "Sophie", "Ahmed", "Katarzyna"];
    private static readonly string[] ListedSurnames = ["Nakamura", "Müller", "Dubois", "Fernández", "Rossi", "Silva", "Sharma", "Tanaka", "Haddad", "Johansson", "Ivanov", "García", "Becker", "Khan", "Nowak"];

    /// <summary>(template, context, listed only): {G} a given name, {S} a surname; half the names of a template that is not listed-only come from outside every list.</summary>
    private static readonly (string Template, string Context, bool ListedOnly)[] Templates =
    [
        ("Hi {G},\nmy parcel has not arrived yet.", "greeting", false),
        ("Hello {G} {S}, thanks for the quick reply.", "greeting", false),
        ("Dear {G},\nthe invoice is attached.", "greeting", false),
        ("Good morning {G}! Any news on my order?", "greeting", false),
        ("Hi, this is {G} {S}. My order #427917 from 12/05/2023 never arrived.", "introduction", false),
        ("My name is {G} {S} and I ordered a lamp.", "introduction", false),
        ("It still does not work.\n\nRegards,\n{G} {S}", "sign-off", false),
        ("Please cancel it.\nThanks,\n{G}", "sign-off", false),
        ("That solved it. Best wishes, {G}", "sign-off", false),
        ("See the photo.\n\nKind regards,\n{G} {S}", "sign-off", false),
        ("Mr. {S} called about the invoice.", "title", false),
        ("Hallo {G},\nmein Paket ist nicht angekommen.", "German greeting", false),
        ("Bitte um Rückruf.\nMit freundlichen Grüßen\n{G} {S}", "German sign-off", false),
        ("Ich heiße {G} {S} und habe eine Frage.", "German introduction", false),
        ("Sehr geehrte Frau {S},\nvielen Dank.", "German title", false),
        ("Bonjour {G},\nma commande n'est pas arrivée.", "French greeting", false),
        ("Je m'appelle {G} {S}.", "French introduction", false),
        ("Merci d'avance.\nCordialement,\n{G} {S}", "French sign-off", false),
        ("Hola {G}, mi pedido no ha llegado.", "Spanish greeting", false),
        ("Me llamo {G} {S}.", "Spanish introduction", false),
        ("Gracias.\nSaludos,\n{G}", "Spanish sign-off", false),
        ("Ciao {G}, il mio ordine è in ritardo.", "Italian greeting", false),
        ("Mi chiamo {G} {S}.", "Italian introduction", false),
        ("Olá {G}, meu pedido atrasou.", "Portuguese greeting", false),
        ("Bedankt.\nMet vriendelijke groet,\n{G} {S}", "Dutch sign-off", false),
        ("I spoke with {G} {S} yesterday about the refund.", "mid-sentence full name", false),
        ("Can you ask {G} {S} to call me back?", "mid-sentence full name", false),
        ("The parcel was signed for by {G} {S} at the door.", "mid-sentence full name", false),
        ("Please forward this to {G} in accounting.", "mid-sentence first name", false),
        ("{G}'s order is still missing.", "sentence-initial possessive", false),
        ("Hello {G}, I have sent a new tracking link.\n— Support Team", "reply greeting", false),
    ];

    private static readonly string[] LookAlikes =
    [
        "Will the parcel arrive before May?",
        "May I change the delivery address?",
        "Rose Gold is out of stock until June.",
        "The Galaxy Note arrived with a cracked screen.",
        "My Apple Watch strap broke after a week.",
        "I ordered the Amazon Echo in April.",
        "We ship to Paris, Sydney and Austin.",
        "The Victoria warehouse is closed in August.",
        "Mark the order as urgent, please.",
        "Hope this helps.",
        "The Grace period ends in June.",
        "Bill me for the extra box.",
        "Jack and cable are missing from the box.",
        "The Kindle Paperwhite will not charge.",
        "Will you refund the Surface Pro?",
        "Our Florence store opens on Monday.",
        "Summer Sale ends on Friday.",
        "Ruby Red lipstick was the wrong shade.",
        "I live in Jordan and shipping is slow.",
        "The Hunter boots are too small.",
        "The Amber Ale gift box arrived broken.",
        "The Dallas depot says the Tesla charger shipped.",
        "Ivy League hoodie, size M, please.",
        "The Iris scanner on my Pixel fails.",
        "Frank feedback: the app is slow.",
        "Max speed of the fan is too low.",
        "Pat dry the leather before use.",
        "Art prints arrive rolled in a tube.",
        "Chase Bank declined my card.",
        "Miles & More points were not added.",
        "Georgia peaches arrive on Tuesday.",
        "Hello World is printed on the mug.",
        "Dear Customer, your order has shipped.",
        "Hi Team, the invoice is attached.",
        "It is fixed now.\nRegards,\nSupport Team",
        "Thanks,\nThe Acme Team",
        "It will arrive tomorrow.\nKind regards, Acme Parcel",
        "Hi Billing Team, please check the invoice.",
        "The Sydney Opera House puzzle is missing pieces.",
        "New York and Los Angeles orders ship first.",
        "The San Francisco depot is delayed.",
        "Can Best Buy match the price?",
        "Hello, I am Canadian and live in Toronto.",
        "This is Python code from the Linux docs.",
        "Will May deliveries go out in June?",
        "Rose petals and Lily stems arrived wilted.",
        "The Jordan sneakers and the Victoria Secret bag are lost.",
        "Hello there, where is my order?",
        "Good Morning America mug is chipped.",
        "Order the Model Y floor mats in Black.",
        "The Dr. Martens boots have a scuffed toe.",
        "Best, I hope the Christmas parcel comes soon.",
    ];

    [Fact]
    public void Names_are_found_without_a_list_and_look_alikes_are_left_alone()
    {
        var scrubber = new PiiScrubber();
        var random = new Random(20261215);
        Assert.All(UnlistedGiven.Concat(UnlistedSurnames), name =>
        {
            Assert.DoesNotContain(name, NameGazetteer.GivenNames);
            Assert.DoesNotContain(name, NameGazetteer.Surnames);
            Assert.DoesNotContain(name, DefaultPersonNames.All);
        });
        Assert.All(ListedGiven, name => Assert.Contains(name, NameGazetteer.GivenNames));
        Assert.All(ListedSurnames, name => Assert.Contains(name, NameGazetteer.Surnames));

        var found = new Dictionary<string, (int Found, int Planted)>();
        var misses = new List<string>();
        for (int round = 0; round < 12; round++)
        {
            foreach (var (template, context, listedOnly) in Templates)
            {
                bool unlisted = !listedOnly && random.Next(2) == 0;
                string given = unlisted ? UnlistedGiven[random.Next(UnlistedGiven.Length)] : ListedGiven[random.Next(ListedGiven.Length)];
                string surname = unlisted ? UnlistedSurnames[random.Next(UnlistedSurnames.Length)] : ListedSurnames[random.Next(ListedSurnames.Length)];
                string text = template.Replace("{G}", given).Replace("{S}", surname);
                string scrubbed = scrubber.Scrub(text).Turns[0];
                string[] parts = template.Contains("{S}") && template.Contains("{G}") ? [given, surname] : template.Contains("{S}") ? [surname] : [given];
                bool hit = parts.All(p => !scrubbed.Contains(p, StringComparison.Ordinal));
                string key = $"{context}{(unlisted ? " (unlisted name)" : "")}";
                var (f, n) = found.GetValueOrDefault(key);
                found[key] = (f + (hit ? 1 : 0), n + 1);
                if (!hit && misses.Count < 10) misses.Add(scrubbed.ReplaceLineEndings("⏎"));
            }
        }
        int planted = found.Values.Sum(v => v.Planted);
        double recall = (double)found.Values.Sum(v => v.Found) / planted;

        var falsePositives = LookAlikes.Where(text => scrubber.Detect([text])[0].Any(s => s.Type == PiiType.Name)).ToList();
        double falsePositiveRate = (double)falsePositives.Count / LookAlikes.Length;

        output.WriteLine($"name recall {recall:P1} over {planted} planted names; look-alike texts with a false name: {falsePositives.Count}/{LookAlikes.Length} ({falsePositiveRate:P1})");
        foreach (var (context, (f, n)) in found.OrderBy(k => k.Key, StringComparer.Ordinal))
            output.WriteLine($"  {context}: {f}/{n}");
        foreach (var miss in misses) output.WriteLine($"  missed: {miss}");
        foreach (var fp in falsePositives) output.WriteLine($"  false positive: {scrubber.Scrub(fp).Turns[0].ReplaceLineEndings("⏎")}");
        // Unlisted names with no cue around them (mid-sentence, sentence-initial) are missed by design: nothing marks them as names.
        Assert.True(recall >= 0.9, $"name recall {recall:P1} < 90%");
        Assert.True(falsePositiveRate <= 0.05, $"{falsePositives.Count} of {LookAlikes.Length} look-alike texts got a name ({falsePositiveRate:P1} > 5%)");
    }
}
