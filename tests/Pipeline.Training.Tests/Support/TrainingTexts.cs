using Pipeline.Data;

namespace Pipeline.Training.Tests.Support;

/// <summary>Small, memorizable conversations and trivially separable preference pairs.</summary>
internal static class TrainingTexts
{
    private static readonly string[] Names = ["Anna", "Ben", "Carla", "Dev", "Emil", "Fay", "Gus", "Hana", "Ivo", "Jo", "Kim", "Lena"];

    /// <summary>"Greet NAME." → "Hello, NAME! How can I help?": the reply's frame is learnable from a few examples.</summary>
    public static Example Greeting(string name) => new()
    {
        Id = $"greet-{name}",
        Messages = [new ChatMessage("user", $"Greet {name}."), new ChatMessage("assistant", $"Hello, {name}! How can I help?")],
    };

    public static IReadOnlyList<Example> Greetings(int from, int count) => [.. Names.Skip(from).Take(count).Select(Greeting)];

    /// <summary>A pair whose chosen reply is polite and the rejected one rude: separable by a single word.</summary>
    public static Example Preference(string name) => new()
    {
        Id = $"pref-{name}",
        Messages = [new ChatMessage("user", $"Greet {name}.")],
        Chosen = $"Hello, {name}! How can I help?",
        Rejected = $"Go away, {name}. No help.",
    };

    public static IReadOnlyList<Example> Preferences(int from, int count) => [.. Names.Skip(from).Take(count).Select(Preference)];

    public static IEnumerable<string> Corpus()
    {
        foreach (var name in Names)
        {
            yield return $"<|im_start|>user\nGreet {name}.<|im_end|>\n<|im_start|>assistant\nHello, {name}! How can I help?<|im_end|>\n";
            yield return $"Go away, {name}. No help.";
        }
    }
}
