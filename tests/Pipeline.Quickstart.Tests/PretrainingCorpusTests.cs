using System.Text.RegularExpressions;
using Pipeline.Quickstart.Corpus;
using Pipeline.Quickstart.Scenarios;

namespace Pipeline.Quickstart.Tests;

public sealed partial class PretrainingCorpusTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static readonly IReadOnlyList<string> Documents = PretrainingCorpus.Documents(3).Take(3000).ToList();

    private static bool IsSupportExchange(string document) => SupportFrame().IsMatch(document);

    [Fact]
    public void Writes_at_least_the_target_size_and_stops_at_the_first_document_past_it()
    {
        var path = folder.PathOf("pretrain.txt");
        var documents = PretrainingCorpus.Write(path, seed: 3, targetBytes: 200_000);
        var bytes = new FileInfo(path).Length;
        Assert.InRange(bytes, 200_000, 201_000);
        var text = File.ReadAllText(path);
        Assert.Equal(documents, text.Split("\n\n").Length);
        Assert.Equal(Documents.Take(documents), text.TrimEnd('\n').Split("\n\n"));
    }

    [Fact]
    public void Documents_hold_no_blank_lines_so_the_separator_is_unambiguous() =>
        Assert.All(Documents, d =>
        {
            Assert.DoesNotContain("\n\n", d);
            Assert.Equal(d.Trim(), d);
            Assert.NotEmpty(d);
        });

    [Fact]
    public void The_same_seed_gives_the_same_text() =>
        Assert.Equal(Documents.Take(200), PretrainingCorpus.Documents(3).Take(200));

    [Fact]
    public void About_30_percent_are_support_exchanges()
    {
        var share = Documents.Count(IsSupportExchange) / (double)Documents.Count;
        Assert.InRange(share, 0.26, 0.34);
    }

    [Fact]
    public void The_everyday_paragraphs_use_a_few_hundred_words()
    {
        var vocabulary = Documents.Where(d => !IsSupportExchange(d)).SelectMany(Words).ToHashSet();
        Assert.InRange(vocabulary.Count, 250, 600);
        Assert.Contains("kitchen", vocabulary);
    }

    [Fact]
    public void The_whole_corpus_stays_under_a_thousand_words()
    {
        var vocabulary = Documents.SelectMany(Words).ToHashSet();
        Assert.InRange(vocabulary.Count, 500, 1000);
    }

    [Fact]
    public void Support_replies_come_in_mixed_styles_with_the_house_style_a_minority()
    {
        var replies = Documents.Where(IsSupportExchange).Select(d => d[(d.LastIndexOf(':') + 1)..]).ToList();
        var houseStyle = replies.Count(r => r.EndsWith("— Support Team", StringComparison.Ordinal));
        Assert.InRange(houseStyle / (double)replies.Count, 0.05, 0.2);
        Assert.Contains(replies, r => r.Contains("Kind regards, Customer Care"));
        Assert.Contains(replies, r => r.Contains("Cheers, Acme"));
    }

    [Fact]
    public void Held_out_messages_never_appear()
    {
        var heldOut = new SupportDeskScenarios(3 * 31 + 7).Generate(40).Select(m => m.Text).ToHashSet();
        var documents = PretrainingCorpus.Documents(3, heldOut).Take(3000).ToList();
        Assert.DoesNotContain(documents.Select(CustomerMessageOf), m => m is not null && heldOut.Contains(m));
        // Without the exclusion, the same stream does contain some of them: the check above can fail.
        Assert.Contains(Documents.Select(CustomerMessageOf), m => m is not null && heldOut.Contains(m));
    }

    /// <summary>The customer's message of a support exchange: between the frame's prefix and the reply's label.</summary>
    private static string? CustomerMessageOf(string document)
    {
        var frame = SupportFrame().Match(document);
        if (!frame.Success) return null;
        var reply = ReplyLabel().Match(document);
        return document[frame.Length..reply.Index];
    }

    private static IEnumerable<string> Words(string document) => WordPattern().Matches(document.ToLowerInvariant()).Select(m => m.Value);

    [GeneratedRegex("[a-z]+")]
    private static partial Regex WordPattern();

    [GeneratedRegex("\n(Agent|The reply was|Answer): ")]
    private static partial Regex ReplyLabel();

    [GeneratedRegex("^(Customer|A customer wrote|Message): ")]
    private static partial Regex SupportFrame();
}
