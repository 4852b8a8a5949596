using Pipeline.Modeling;
using Pipeline.Training.Sft;

namespace Pipeline.Training.Tests.Sft;

public sealed class SftPackerTests
{
    /// <summary>A conversation of <paramref name="length"/> tokens whose ids start at <paramref name="first"/>; the prompt is its first half.</summary>
    private static SftSequence Conversation(int first, int length) => new(
        [.. Enumerable.Range(first, length)],
        [.. Enumerable.Range(first, length).Select((id, i) => i < length / 2 ? CausalLmLoss.IgnoreIndex : (long)id)]);

    [Fact]
    public void Best_fit_decreasing_by_hand()
    {
        // Lengths 5, 3, 4, 2, 6 into rows of 8. Longest first: 6 → row A (room 2); 5 → row B (room 3);
        // 4 fits neither → row C (room 4); 3 → best fit B (room 3 → 0); 2 → best fit A (room 2 → 0).
        SftSequence[] conversations = [Conversation(100, 5), Conversation(200, 3), Conversation(300, 4), Conversation(400, 2), Conversation(500, 6)];

        var rows = SftPacker.Pack(conversations, 8);

        Assert.Equal(3, rows.Count);
        Assert.Equal([6, 2], rows[0].ExampleLengths);
        Assert.Equal([.. Enumerable.Range(500, 6), 400, 401], rows[0].InputIds);
        Assert.Equal([5, 3], rows[1].ExampleLengths);
        Assert.Same(conversations[2], rows[2]);                               // alone in its row: unchanged, not packed
        Assert.Null(rows[2].ExampleLengths);
        Assert.Equal([1, 1, 1, 1, 1, 1, 2, 2], rows[0].ExampleNumbers());
    }

    [Fact]
    public void Each_packed_conversation_keeps_its_labels_except_the_first_which_no_earlier_token_may_predict()
    {
        var first = new SftSequence([1, 2, 3, 4], [-100, -100, 3, 4]);
        var second = new SftSequence([5, 6, 7], [5, 6, 7]);                  // a first label that is not -100

        var row = Assert.Single(SftPacker.Pack([first, second], 10));

        Assert.Equal([1, 2, 3, 4, 5, 6, 7], row.InputIds);
        Assert.Equal([-100, -100, 3, 4, -100, 6, 7], row.Labels);
        Assert.Equal(first.TrainableTokens + second.TrainableTokens, row.TrainableTokens);
    }

    [Fact]
    public void Every_conversation_lands_in_exactly_one_row_within_the_limit_and_packing_is_deterministic()
    {
        var random = new Random(3);
        var conversations = Enumerable.Range(0, 300).Select(i => Conversation(i * 1000, random.Next(2, 65))).ToArray();

        var rows = SftPacker.Pack(conversations, 64);

        Assert.All(rows, r => Assert.InRange(r.InputIds.Count, 1, 64));
        var starts = rows.SelectMany(r => Starts(r)).Order().ToArray();
        Assert.Equal(conversations.Select(c => c.InputIds[0]).Order(), starts);
        Assert.Equal(conversations.Sum(c => c.InputIds.Count), rows.Sum(r => r.InputIds.Count));
        // Best fit decreasing is within 11/9 of the optimum; the lower bound on rows is the total over 64.
        var lowerBound = Math.Ceiling(conversations.Sum(c => c.InputIds.Count) / 64.0);
        Assert.InRange(rows.Count, lowerBound, lowerBound * 11 / 9 + 1);
        Assert.Equal(rows.Select(r => r.InputIds), SftPacker.Pack(conversations, 64).Select(r => r.InputIds));
    }

    [Fact]
    public void A_conversation_longer_than_a_row_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => SftPacker.Pack([Conversation(0, 9)], 8));
        Assert.Contains("9 tokens", error.Message);
    }

    private static IEnumerable<int> Starts(SftSequence row)
    {
        var offset = 0;
        foreach (var length in row.ExampleLengths ?? [row.InputIds.Count])
        {
            yield return row.InputIds[offset];
            offset += length;
        }
    }
}
