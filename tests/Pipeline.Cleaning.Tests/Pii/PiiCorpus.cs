using Pipeline.Cleaning.Pii;

namespace Pipeline.Cleaning.Tests.Pii;

/// <summary>
/// The planted PII corpus: per type, sentences with one value in a varied format and context;
/// and negatives that look like PII to a naive pattern (dates, versions, prices, order numbers,
/// ISBNs, times, hashes, UUIDs, capitalised words, code) but hold none.
/// </summary>
internal static class PiiCorpus
{
    private static readonly string[] Contexts =
    [
        "Please reach me at {v} before Friday.",
        "{v} is what I wrote on the form.",
        "My details: {v}",
        "Can you update the record to {v}? Thanks.",
        "I tried {v} twice and it still fails.",
        "For the invoice, use {v}.",
    ];

    public static List<PlantedSentence> Positives(int seed, int perType)
    {
        var generate = new PiiValueGenerator(seed);
        var sentences = new List<PlantedSentence>();
        for (var i = 0; i < perType; i++)
        {
            var (email, emailFormat) = generate.Email();
            sentences.Add(PlantedSentence.Plant(generate.Pick(Contexts), email, PiiType.Email, emailFormat));
            var (phone, phoneFormat) = generate.Phone();
            sentences.Add(PlantedSentence.Plant(generate.Pick(Contexts), phone, PiiType.Phone, phoneFormat));
            var (card, cardFormat) = generate.Card();
            sentences.Add(PlantedSentence.Plant(generate.Pick(Contexts), card, PiiType.Card, cardFormat));
            var (iban, ibanFormat) = generate.Iban();
            sentences.Add(PlantedSentence.Plant(generate.Pick(Contexts), iban, PiiType.Iban, ibanFormat));
            var (ip, ipFormat) = generate.IpAddress();
            sentences.Add(PlantedSentence.Plant(generate.Pick(["The server at {v} refused the connection.", "ssh admin@host failed, so I tried {v} directly.", "Whitelist {v}, please."]), ip, PiiType.IpAddress, ipFormat));
            var (url, credentials, scheme) = generate.UrlWithCredentials();
            var urlSentence = generate.Pick(["Clone it with git clone {v} and run make.", "The connection string is {v}", "DATABASE_URL={v}"]);
            var planted = PlantedSentence.Plant(urlSentence, url, PiiType.Credential, scheme);
            sentences.Add(planted with { Start = planted.Start + url.IndexOf(credentials, StringComparison.Ordinal), Length = credentials.Length });
            var (secret, secretFormat) = generate.Secret();
            sentences.Add(PlantedSentence.Plant(generate.Pick(["export API_KEY={v}", "Authorization: Bearer {v}", "my token is {v} (please rotate it)", "key = \"{v}\""]), secret, PiiType.Secret, secretFormat));
            sentences.Add(Name(generate));
        }
        return sentences;
    }

    private static PlantedSentence Name(PiiValueGenerator generate)
    {
        // Listed names in running text, and unlisted names learned from greetings and sign-offs.
        string[] listed = ["Anna", "Tom", "Maria", "Priya", "Lukas", "Sofía", "Ahmed", "Katherine"];
        string[] unlisted = ["Zoltan", "Okonkwo", "Bartholomew", "Ingeborg", "Thandiwe", "Radomir", "Ximena", "Eamon"];
        string[] surnames = ["Becker", "Halvorsen", "Nakamura", "Dubois", "Kowalski"];
        return generate.Random.Next(9) switch
        {
            0 => PlantedSentence.Plant("I spoke with {v} yesterday about the refund.", generate.Pick(listed), PiiType.Name, "listed, running text"),
            1 => PlantedSentence.Plant("Hi {v},\nthe parcel arrived damaged.", generate.Pick(unlisted), PiiType.Name, "Hi X,"),
            2 => PlantedSentence.Plant("Dear Mr. {v}, thank you for your patience.", generate.Pick(surnames), PiiType.Name, "Dear Mr. X"),
            3 => PlantedSentence.Plant("Hello {v}, can you check my order?", generate.Pick(unlisted), PiiType.Name, "Hello X,"),
            4 => PlantedSentence.Plant("The fix is live now. Regards, {v}", $"{generate.Pick(unlisted)} {generate.Pick(surnames)}", PiiType.Name, "Regards, First Last"),
            5 => PlantedSentence.Plant("Let me know if it works.\nBest,\n{v}", generate.Pick(unlisted), PiiType.Name, "Best,\\nX"),
            6 => PlantedSentence.Plant("That solved it. Thanks, {v}", generate.Pick(unlisted), PiiType.Name, "Thanks, X"),
            7 => PlantedSentence.Plant("Please forward this to {v} in accounting.", $"{generate.Pick(listed)} {generate.Pick(surnames)}", PiiType.Name, "listed + surname"),
            _ => PlantedSentence.Plant("Kind regards,\n{v}", $"{generate.Pick(unlisted)} {generate.Pick(surnames)}", PiiType.Name, "Kind regards,\\nFirst Last"),
        };
    }

    public static List<PlantedSentence> Negatives(int seed, int repeats)
    {
        var generate = new PiiValueGenerator(seed);
        var random = generate.Random;
        var sentences = new List<PlantedSentence>();
        for (var i = 0; i < repeats; i++)
        {
            var year = random.Next(1990, 2031);
            var month = random.Next(1, 13);
            var day = random.Next(1, 29);
            Add("date", $"The meeting moved to {year}-{month:D2}-{day:D2}.", $"Delivered on {day:D2}/{month:D2}/{year} as promised.",
                $"Due {month:D2}/{day:D2}/{year}.", $"Stichtag ist der {day:D2}.{month:D2}.{year}.", $"Between {year}-{month:D2}-{day:D2} and {year + 1}-01-01 nothing changed.");
            Add("version", $"Upgrade to v{random.Next(1, 20)}.{random.Next(0, 30)}.{random.Next(0, 50)} first.", $"Python {random.Next(2, 4)}.{random.Next(0, 14)}.{random.Next(0, 12)} is installed.",
                $"Windows build 10.0.{random.Next(10000, 22999)} crashes.", $"Pinned 1.{random.Next(0, 9)}.{random.Next(0, 9)}-beta.{random.Next(1, 9)} in the lockfile.");
            Add("price", $"It costs ${random.Next(1, 9)},{random.Next(100, 999)}.{random.Next(10, 99)} now.", $"Only €{random.Next(10, 999)}.{random.Next(10, 99)} per month.",
                $"Der Preis: {random.Next(1, 9)}.{random.Next(100, 999)},00 €.", $"Revenue grew to $12,{random.Next(100, 999)},{random.Next(100, 999)} last year.");
            Add("order", $"Order #{generate.Digits(6)} has shipped.", $"Your order number is {random.Next(10000000, 99999999)}.",
                $"Ticket {random.Next(1000, 99999)} is closed.", $"Tracking: 1Z{generate.Chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 16)}.");
            Add("isbn", "See ISBN 978-3-16-148410-0 for details.", "ISBN 0-306-40615-2 is out of print.", $"Cited as 978-1-{random.Next(10000, 99999)}-{random.Next(100, 999)}-{random.Next(0, 9)}.");
            Add("time", $"The call is at {random.Next(0, 24):D2}:{random.Next(0, 60):D2}.", $"Logged at {random.Next(0, 24):D2}:{random.Next(0, 60):D2}:{random.Next(0, 60):D2} UTC.",
                $"Opening hours 9:00–17:30, lunch {random.Next(11, 14)}:{random.Next(0, 6)}0.");
            Add("hash", $"Fixed in commit {generate.Chars("0123456789abcdef", 40)}.", $"Short sha {generate.Chars("0123456789abcdef", 7)} reverted it.",
                $"SHA-256: {generate.Chars("0123456789abcdef", 64)}", $"Request id {generate.Chars("0123456789abcdef", 8)}-{generate.Chars("0123456789abcdef", 4)}-4{generate.Chars("0123456789abcdef", 3)}-a{generate.Chars("0123456789abcdef", 3)}-{generate.Chars("0123456789abcdef", 12)} failed.");
            Add("words", "On Monday we migrate the Python service to Linux.", "Hello World! This is a January release note.",
                "Dear Customer, your subscription renews in March.", "Hi Team, the sprint starts Tuesday.", "Best,\nThe Support Team",
                "We use AbstractSingletonProxyFactoryBean and ConfigurationManager2Settings in Java.", "Good morning Everyone, welcome to Berlin.");
            Add("code", "for i in range(10): print(i)", "std::vector<int> values; values.push_back(42);", "if (x > 0 && y < 10) { return x; }",
                $"Listening on port {random.Next(1024, 65535)} with HTTP/1.1.", "Open /usr/local/lib/python3.12/site-packages/torch/__init__.py",
                "See https://example.com/docs/v2/getting-started?lang=en#install for setup.", $"Set color #{generate.Chars("0123456789ABCDEF", 6)} on the header.");
            Add("numbers", $"We have {random.Next(1, 999)},{random.Next(100, 999)},{random.Next(100, 999)} users.", $"It weighs {random.Next(1, 99)}.{random.Next(0, 9)} kg.",
                $"Coordinates {random.Next(-89, 89)}.{generate.Digits(4)}, {random.Next(-179, 179)}.{generate.Digits(4)}.", $"Growth was {random.Next(1, 99)}.{random.Next(0, 9)}% in Q{random.Next(1, 5)}.",
                $"Postcode {random.Next(10000, 99999)} and SW1A 1AA.", $"Between {year} and {year + random.Next(1, 10)} the rate was 1:{random.Next(2, 9)}.");
        }
        return sentences;

        void Add(string format, params string[] texts)
        {
            foreach (var text in texts)
                sentences.Add(PlantedSentence.Negative(text, format));
        }
    }
}
