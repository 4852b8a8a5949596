namespace Pipeline.Quickstart.Corpus;

/// <summary>
/// The small vocabulary of the everyday half of the pretraining corpus: a few hundred words in lists that only
/// combine sensibly (a verb lists the objects it takes), so the tiny base model learns grammar, not noise.
/// Written for this project.
/// </summary>
internal static class EverydayVocabulary
{
    public static readonly IReadOnlyList<string> People =
    [
        "my sister", "my brother", "my mother", "my father", "our neighbour", "the teacher", "my friend",
        "the old man", "a young woman", "my cousin", "my grandmother", "my uncle", "the baker", "the doctor",
        "our driver", "the new student",
    ];

    public static readonly IReadOnlyList<string> Groups = ["the children", "my parents", "our team", "the neighbours", "my friends", "we", "they"];

    /// <summary>A verb in its three forms and the objects it takes.</summary>
    public sealed record Verb(string Base, string Past, string Third, IReadOnlyList<string> Objects);

    private static readonly IReadOnlyList<string> Food =
    [
        "bread", "soup", "a cake", "some apples", "fresh fish", "rice", "a pie", "pancakes", "cheese",
        "tomatoes", "a salad", "cookies", "eggs", "pasta", "a sandwich", "strawberries",
    ];

    private static readonly IReadOnlyList<string> Repairs =
    [
        "the old chair", "the kitchen door", "the garden fence", "a broken lamp", "the bike", "the roof",
        "the window", "the table", "the gate",
    ];

    private static readonly IReadOnlyList<string> Reading = ["a letter", "a book", "a short story", "the newspaper", "a poem", "a long list", "a postcard"];

    private static readonly IReadOnlyList<string> Sights = ["a film", "the game", "the birds", "the sunset", "the boats", "the rain", "the stars"];

    private static readonly IReadOnlyList<string> Plants = ["tomatoes", "roses", "apple trees", "beans", "herbs", "potatoes", "sunflowers", "carrots"];

    private static readonly IReadOnlyList<string> Visits = ["the museum", "the market", "grandmother", "the library", "the zoo", "the beach", "the castle", "an old friend"];

    private static readonly IReadOnlyList<string> Things = ["a new coat", "a warm hat", "a blue bag", "a small radio", "some flowers", "a map", "two tickets", "a present"];

    public static readonly IReadOnlyList<Verb> Verbs =
    [
        new("cook", "cooked", "cooks", Food), new("bake", "baked", "bakes", ["bread", "a cake", "a pie", "cookies", "pancakes"]),
        new("buy", "bought", "buys", [.. Food, .. Things]), new("eat", "ate", "eats", Food),
        new("fix", "fixed", "fixes", Repairs), new("paint", "painted", "paints", Repairs), new("clean", "cleaned", "cleans", Repairs),
        new("read", "read", "reads", Reading), new("write", "wrote", "writes", Reading),
        new("watch", "watched", "watches", Sights), new("plant", "planted", "plants", Plants), new("grow", "grew", "grows", Plants),
        new("visit", "visited", "visits", Visits), new("find", "found", "finds", Things), new("bring", "brought", "brings", [.. Food, .. Things]),
        new("carry", "carried", "carries", Things), new("share", "shared", "shares", Food), new("wrap", "wrapped", "wraps", Things),
    ];

    public static readonly IReadOnlyList<string> Places =
    [
        "in the kitchen", "at the park", "in the garden", "at the market", "near the river", "at school",
        "at the office", "in the city centre", "at home", "by the lake", "on the farm", "in the village",
        "at the station", "on the hill",
    ];

    public static readonly IReadOnlyList<string> Times =
    [
        "this morning", "last night", "on Sunday", "after lunch", "before dinner", "in the evening",
        "yesterday", "last summer", "at noon", "on Saturday", "in the spring", "last winter",
    ];

    public static readonly IReadOnlyList<string> FutureTimes = ["tomorrow", "next week", "on Monday", "this weekend", "next summer", "tonight"];

    public static readonly IReadOnlyList<string> Weather = ["sunny", "rainy", "cold", "warm", "windy", "cloudy", "foggy", "snowy", "hot", "grey"];

    public static readonly IReadOnlyList<string> WeatherActivities =
    [
        "stayed at home", "went for a walk", "went swimming", "read by the fire", "played in the snow",
        "sat in the garden", "took the bus", "flew a kite", "made hot tea", "went to the beach",
    ];

    public static readonly IReadOnlyList<string> Adjectives =
    [
        "small", "big", "old", "new", "red", "green", "quiet", "busy", "bright", "dark", "clean", "tall",
        "friendly", "heavy", "soft", "warm", "empty", "pretty", "long", "narrow",
    ];

    public static readonly IReadOnlyList<string> Nouns =
    [
        "house", "dog", "cat", "car", "garden", "bridge", "shop", "road", "tree", "bird", "room", "boat",
        "train", "street", "kitchen", "horse", "river", "window",
    ];

    public static readonly IReadOnlyList<string> Feelings = ["happy", "tired", "proud", "hungry", "calm", "excited", "sad", "glad", "surprised", "sleepy"];

    public static readonly IReadOnlyList<string> Reasons =
    [
        "the bus was late", "the cake was ready", "the sun came out", "the team won the game",
        "the work was done", "the shop was closed", "the rain stopped", "a letter came", "the garden looked lovely",
        "the holiday was over", "the train was full",
    ];

    public static readonly IReadOnlyList<string> Hobbies =
    [
        "swimming", "cooking", "reading", "running", "drawing", "singing", "dancing", "gardening",
        "cycling", "fishing", "walking", "baking", "painting", "knitting",
    ];

    public static readonly IReadOnlyList<string> Counts = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve"];

    public static readonly IReadOnlyList<string> Plurals = ["apples", "birds", "boats", "chairs", "books", "children", "cars", "trees", "cups", "cows", "ducks", "people"];
}
