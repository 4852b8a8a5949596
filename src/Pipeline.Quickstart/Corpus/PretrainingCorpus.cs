using System.Text;
using Pipeline.Quickstart.Scenarios;

namespace Pipeline.Quickstart.Corpus;

/// <summary>
/// The plain-text corpus the quickstart pretrains its tiny base model on, made here because nothing can be
/// downloaded: everyday paragraphs from a few hundred words (<see cref="EverydayGrammar"/>) and support
/// exchanges in mixed styles (<see cref="MixedStyleReplies"/>). One document per paragraph, documents separated
/// by a blank line. The same seed gives the same text.
/// </summary>
public static class PretrainingCorpus
{
    /// <summary>Share of documents that are support exchanges; the rest are everyday paragraphs.</summary>
    public const double SupportExchangeShare = 0.3;

    private static readonly IReadOnlyList<(string Customer, string Agent)> Frames =
    [
        ("Customer: ", "Agent: "),
        ("A customer wrote: ", "The reply was: "),
        ("Message: ", "Answer: "),
    ];

    /// <summary>
    /// An endless stream of documents. Customer messages whose text is in <paramref name="heldOut"/> (the
    /// evaluation prompts) are skipped, so evaluation never measures text the base model saw.
    /// </summary>
    public static IEnumerable<string> Documents(int seed, IReadOnlySet<string>? heldOut = null)
    {
        var random = SeededRandom.ForStream(seed, "pretraining-corpus");
        var scenarios = new SupportDeskScenarios(unchecked(seed * 31 + 7));
        while (true)
        {
            if (!random.Chance(SupportExchangeShare))
            {
                yield return EverydayGrammar.Paragraph(random);
                continue;
            }
            var message = scenarios.Next(random.Pick(SupportIntents.All));
            if (heldOut is not null && heldOut.Contains(message.Text)) continue;
            var (customer, agent) = random.Pick(Frames);
            yield return $"{customer}{message.Text}\n{agent}{MixedStyleReplies.Reply(message, random)}";
        }
    }

    /// <summary>Writes documents to <paramref name="path"/> (UTF-8, "\n" line ends) until it holds at least <paramref name="targetBytes"/> bytes; returns the number of documents.</summary>
    public static int Write(string path, int seed, long targetBytes, IReadOnlySet<string>? heldOut = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetBytes);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        long written = 0;
        var documents = 0;
        foreach (var document in Documents(seed, heldOut))
        {
            var bytes = utf8.GetBytes((documents == 0 ? "" : "\n") + document + "\n");
            stream.Write(bytes);
            written += bytes.Length;
            documents++;
            if (written >= targetBytes) break;
        }
        return documents;
    }
}
