namespace Pipeline.Quickstart.Scenarios;

/// <summary>
/// The values that fill message templates. Phone numbers use ranges reserved for fiction (North American
/// 555-01xx, UK 020 7946 0xxx) and e-mail addresses use the reserved example.* domains, so no real person's
/// details can appear; both are shaped so the ingestion stage's PII detectors find them.
/// </summary>
internal static class SlotValues
{
    public static readonly IReadOnlyList<string> FirstNames =
    [
        "Anna", "Ben", "Clara", "David", "Emma", "Felix", "Grace", "Hannah", "Ivan", "Julia", "Karim", "Laura",
        "Marco", "Nina", "Omar", "Paula", "Rosa", "Sam", "Tara", "Victor", "Wendy", "Yusuf", "Zoe", "Leon",
    ];

    public static readonly IReadOnlyList<string> Surnames =
    [
        "Berg", "Costa", "Diaz", "Evans", "Fischer", "Green", "Hall", "Jensen", "Khan", "Lopez", "Meyer",
        "Novak", "Okafor", "Price", "Quinn", "Reyes", "Silva", "Turner", "Weber", "Young",
    ];

    public static readonly IReadOnlyList<string> Products =
    [
        "blue kettle", "desk lamp", "rain jacket", "coffee grinder", "wool scarf", "garden hose", "yoga mat",
        "toaster", "travel mug", "bike lock", "laptop bag", "table fan", "board game", "winter boots",
        "headphones", "picture frame", "bath towel", "cooking pot", "reading chair", "alarm clock",
    ];

    /// <summary>Products a health question can plausibly be about.</summary>
    public static readonly IReadOnlyList<string> CareProducts =
    [
        "sun cream", "hand soap", "face cream", "vitamin drink", "herbal tea", "shampoo", "sleep tea",
        "protein powder", "cough drops", "bath salts",
    ];

    public static readonly IReadOnlyList<string> Plans = ["Parcel Plus", "Express Club", "Weekly Box", "Gift Club"];

    public static readonly IReadOnlyList<string> Cities =
    [
        "Leeds", "Bristol", "Denver", "Austin", "Dublin", "Lyon", "Porto", "Oslo", "Boston", "Glasgow",
        "Seattle", "Cardiff", "Toronto", "Perth", "Utrecht", "Malmo",
    ];

    public static readonly IReadOnlyList<string> PastDays =
    [
        "on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday", "yesterday",
        "last week", "last Friday", "two days ago",
    ];

    public static readonly IReadOnlyList<string> DayCounts = ["two", "three", "four", "five", "six", "ten"];

    public static readonly IReadOnlyList<string> EmailDomains = ["example.com", "example.org", "example.net"];

    private static readonly IReadOnlyList<string> AreaCodes = ["202", "312", "415", "617", "713", "808"];

    public static string OrderNumber(SeededRandom random) => $"AC-{random.Between(10000, 99999)}";

    public static string Amount(SeededRandom random) => $"${random.Between(5, 199)}.{random.Pick(Cents)}";

    private static readonly IReadOnlyList<string> Cents = ["00", "49", "90", "95", "99"];

    public static string PhoneNumber(SeededRandom random) => random.Next(3) switch
    {
        0 => $"{random.Pick(AreaCodes)}-555-01{random.Between(0, 99):D2}",
        1 => $"({random.Pick(AreaCodes)}) 555-01{random.Between(0, 99):D2}",
        _ => $"+44 20 7946 0{random.Between(0, 999):D3}",
    };

    public static string Email(SeededRandom random, string firstName) =>
        $"{firstName.ToLowerInvariant()}.{random.Pick(Surnames).ToLowerInvariant()}@{random.Pick(EmailDomains)}";
}
