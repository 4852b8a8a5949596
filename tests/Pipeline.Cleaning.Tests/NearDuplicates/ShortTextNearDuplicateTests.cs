using Pipeline.Cleaning.ExampleFilters;
using Pipeline.Cleaning.NearDuplicates;
using Pipeline.Data;

namespace Pipeline.Cleaning.Tests.NearDuplicates;

/// <summary>
/// Short support messages (15–30 words) inside Alpaca-shaped examples (a shared instruction and reply), whose
/// variants differ by an appended courtesy or one replaced word: what ingestion's near-duplicate step must catch.
/// </summary>
public sealed class ShortTextNearDuplicateTests(ITestOutputHelper output)
{
    private const string Instruction = "Reply to this customer message in the house style.";

    private static readonly string[] Courtesies = ["Thanks!", "Thank you.", "Thanks a lot.", "Please help.", "Cheers!", "Many thanks.", "Please advise."];

    private static Example Alpaca(string id, string message, string reply) => new()
    {
        Id = id,
        Messages = [new ChatMessage(ChatRoles.User, Instruction + "\n\n" + message), new ChatMessage(ChatRoles.Assistant, reply)],
    };

    private static Example Message(string id, string message) => new() { Id = id, Messages = [new ChatMessage(ChatRoles.User, message)] };

    [Fact]
    public void A_message_with_an_appended_thanks_is_a_near_duplicate_of_the_message()
    {
        const string message = "Hi, this is Anna Nakamura. My order #427917 from 12/05/2023 never arrived.\n\nRegards,\nAnna Nakamura";
        const string reply = "Hello Anna, I am sorry your parcel has not arrived. I have sent a replacement today and you will get a tracking link by e-mail.";
        var filter = new NearDuplicateExampleFilter();

        Assert.True(filter.Apply(Alpaca("1", message, reply)).IsKept);
        Assert.False(filter.Apply(Alpaca("2", message + " Thanks!", reply)).IsKept);
        Assert.False(filter.Apply(Alpaca("3", message + " Thank you.", reply)).IsKept);
    }

    [Fact]
    public void A_variant_that_adds_a_second_name_is_still_a_near_duplicate_after_pii_scrubbing()
    {
        // Scrubbing runs first: one name is <NAME>, but with a second name the first becomes <NAME_1> everywhere.
        const string message = "Hi, this is Anna Nakamura. My order #427917 from 12/05/2023 never arrived.\n\nRegards,\nAnna Nakamura";
        const string reply = "Hello, I am sorry your parcel has not arrived. I have sent a replacement today.";
        var pii = new PiiExampleFilter();
        var nearDuplicates = new NearDuplicateExampleFilter();
        Example Scrubbed(string id, string text) => pii.Apply(Alpaca(id, text, reply)).Kept!;

        var first = Scrubbed("1", message);
        var second = Scrubbed("2", message + " Thanks, Tom!");
        Assert.Contains("<NAME_1>", second.Messages[0].Content);

        Assert.True(nearDuplicates.Apply(first).IsKept);
        Assert.False(nearDuplicates.Apply(second).IsKept);
    }

    [Fact]
    public void Short_variants_with_an_appended_or_replaced_word_are_found()
    {
        var planted = Plant(seed: 20261215, families: 300);
        var filter = new NearDuplicateExampleFilter();

        int originalsDropped = 0, variantsDropped = 0, variants = 0;
        foreach (var family in planted)
        {
            if (!filter.Apply(Alpaca(family.Id, family.Message, family.Reply)).IsKept) originalsDropped++;
            foreach (var (variant, i) in family.Variants.Select((v, i) => (v, i)))
            {
                variants++;
                if (!filter.Apply(Alpaca($"{family.Id}-{i}", variant, family.Reply)).IsKept) variantsDropped++;
            }
        }

        // The harder case: the message alone, with no shared instruction or reply to lift the similarity.
        var alone = new NearDuplicateExampleFilter();
        int aloneDropped = 0;
        foreach (var family in planted)
        {
            alone.Apply(Message(family.Id, family.Message));
            aloneDropped += family.Variants.Select((v, i) => alone.Apply(Message($"{family.Id}-{i}", v))).Count(v => !v.IsKept);
        }

        double recall = (double)variantsDropped / variants;
        double aloneRecall = (double)aloneDropped / variants;
        var jaccards = planted.SelectMany(f => f.Jaccards).ToList();
        output.WriteLine($"{planted.Count} short messages (15–30 words), {variants} variants (message word-5-gram Jaccard {jaccards.Min():0.00}–{jaccards.Max():0.00}, mean {jaccards.Average():0.00})");
        output.WriteLine($"near-duplicate recall {recall:P1} ({variantsDropped}/{variants}); distinct messages wrongly dropped: {originalsDropped}");
        output.WriteLine($"the messages alone (no instruction or reply): recall {aloneRecall:P1} ({aloneDropped}/{variants})");
        Assert.True(recall >= 0.9, $"recall {recall:P1} < 90%");
        Assert.True(aloneRecall >= 0.85, $"recall of the messages alone {aloneRecall:P1} < 85%");
        Assert.Equal(0, originalsDropped);
    }

    private sealed record Family(string Id, string Message, string Reply, List<string> Variants, List<double> Jaccards);

    /// <summary>Messages and their variants whose message-only word-5-gram Jaccard lies in [0.85, 0.94].</summary>
    private static List<Family> Plant(int seed, int families)
    {
        var sampler = new WordSampler(seed);
        var random = sampler.Random;
        var planted = new List<Family>();
        while (planted.Count < families)
        {
            var tokens = sampler.Tokens(15 + random.Next(16));
            string message = WordSampler.Render(tokens);
            string reply = WordSampler.Render(sampler.Tokens(20 + random.Next(20)));
            var variants = new List<string>();
            var jaccards = new List<double>();
            for (int attempt = 0; attempt < 12 && variants.Count < 3; attempt++)
            {
                string variant = random.Next(3) switch
                {
                    0 => message + " " + Courtesies[random.Next(Courtesies.Length)],
                    1 => message + " " + Courtesies[random.Next(Courtesies.Length)] + " " + Courtesies[random.Next(Courtesies.Length)],
                    _ => ReplaceOneWord(tokens, sampler),
                };
                double jaccard = NearDuplicateCorpus.ExactJaccard(message, variant, ShingleUnit.Words, 5);
                if (jaccard is < 0.85 or > 0.94 || variants.Contains(variant)) continue;
                variants.Add(variant);
                jaccards.Add(jaccard);
            }
            if (variants.Count > 0) planted.Add(new Family($"m{planted.Count:D3}", message, reply, variants, jaccards));
        }
        return planted;
    }

    /// <summary>One of the last three words replaced by another word (a replacement further in changes too many 5-grams to stay ≥ 0.85).</summary>
    private static string ReplaceOneWord(List<string> tokens, WordSampler sampler)
    {
        var words = tokens.Select((t, i) => (t, i)).Where(x => x.t is not ("," or "." or "!" or ";")).Select(x => x.i).ToList();
        var copy = new List<string>(tokens);
        int position = words[words.Count - 1 - sampler.Random.Next(3)];
        string replacement;
        do replacement = sampler.Word(); while (replacement == copy[position].ToLowerInvariant());
        copy[position] = replacement;
        return WordSampler.Render(copy);
    }
}
