using System.Text.Json;
using Pipeline.Data.Ingestion;
using Pipeline.Data.Readers;
using Pipeline.Data.Sinks;
using Pipeline.Data.Tests.TestSupport;

namespace Pipeline.Data.Tests.Splitting;

/// <summary>
/// Preference pairs are split by their reply pair: the same (chosen, rejected) under different prompts lands on one
/// side only, so a reward model is never validated on a pair it was trained on.
/// </summary>
public sealed class PreferenceSplitTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void The_split_key_of_a_preference_pair_ignores_the_prompt_and_other_examples_keep_their_content_hash()
    {
        Example Pair(string prompt, string chosen, string rejected) => new()
        {
            Id = prompt, Messages = [new ChatMessage(ChatRoles.User, prompt)], Chosen = chosen, Rejected = rejected,
        };
        var a = Pair("Where is my parcel?", "It is on its way.", "Go away.");
        var b = Pair("Has my order shipped?", "It is on its way.", "Go away.");
        var swapped = Pair("Where is my parcel?", "Go away.", "It is on its way.");
        var chat = new Example { Id = "c", Messages = [new ChatMessage(ChatRoles.User, "Hi"), new ChatMessage(ChatRoles.Assistant, "Hello")] };

        Assert.Equal(ExampleHasher.SplitKey(a), ExampleHasher.SplitKey(b));
        Assert.NotEqual(ExampleHasher.SplitKey(a), ExampleHasher.SplitKey(swapped));
        Assert.Equal(ExampleHasher.ContentHash(chat), ExampleHasher.SplitKey(chat));
    }

    [Fact]
    public async Task No_reply_pair_of_the_quickstart_preferences_is_on_both_sides_of_the_split()
    {
        string shipped = Path.Combine(RepositoryRoot(), "examples", "quickstart", "data", "preferences.jsonl");
        using var folder = new TempFolder();
        var options = new IngestionOptions { Inputs = [new DatasetInput(shipped, DataFormat.Preference)], ValidationFraction = 0.2 };

        var result = await new DatasetBuilder(options, new FolderDatasetSink(folder.PathOf("out"))).RunAsync(ct: Ct);

        var train = ReplyPairs(folder, result.Files.Where(f => f.StartsWith("train-", StringComparison.Ordinal)));
        var validation = ReplyPairs(folder, result.Files.Where(f => f.StartsWith("validation-", StringComparison.Ordinal)));
        int repeated = train.Concat(validation).GroupBy(p => p).Count(g => g.Count() > 1);
        output.WriteLine($"{train.Count} train and {validation.Count} validation pairs; {repeated} reply pairs occur under more than one prompt");
        Assert.True(repeated > 0, "the shipped data should hold reply pairs repeated under other prompts, or this test proves nothing");
        Assert.NotEmpty(validation);
        Assert.Empty(train.Intersect(validation));
    }

    private static List<(string Chosen, string Rejected)> ReplyPairs(TempFolder folder, IEnumerable<string> files) =>
        [.. files.SelectMany(f => File.ReadLines(folder.PathOf(Path.Combine("out", f))))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(e => (e.GetProperty("chosen").GetString()!, e.GetProperty("rejected").GetString()!))];

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No Pipeline.sln above {AppContext.BaseDirectory}.");
    }
}
