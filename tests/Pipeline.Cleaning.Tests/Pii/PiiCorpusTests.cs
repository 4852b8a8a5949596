using Pipeline.Cleaning.Pii;

namespace Pipeline.Cleaning.Tests.Pii;

/// <summary>Recall per PII type and false positives, measured on the planted corpus.</summary>
public sealed class PiiCorpusTests(ITestOutputHelper output)
{
    private readonly PiiScrubber scrubber = new();

    [Fact]
    public void Every_type_is_found_with_recall_of_at_least_95_percent()
    {
        var positives = PiiCorpus.Positives(seed: 2026, perType: 60);
        var misses = new List<PlantedSentence>();
        var inexact = 0;
        var spurious = new List<string>();
        foreach (var sentence in positives)
        {
            var spans = scrubber.Detect([sentence.Text])[0];
            var hit = spans.FirstOrDefault(s => s.Type == sentence.Type && s.Start <= sentence.Start && s.End >= sentence.Start + sentence.Length);
            if (hit == default)
                misses.Add(sentence);
            else if (hit.Start != sentence.Start || hit.Length != sentence.Length)
                inexact++;
            spurious.AddRange(spans
                .Where(s => !s.Overlaps(new PiiSpan(sentence.Start, sentence.Length, s.Type)))
                .Select(s => $"{s.Type} \"{sentence.Text.Substring(s.Start, s.Length)}\" in: {sentence.Text.ReplaceLineEndings("\\n")}"));
        }

        output.WriteLine($"planted sentences: {positives.Count}");
        foreach (var type in Enum.GetValues<PiiType>())
        {
            var planted = positives.Count(p => p.Type == type);
            var found = planted - misses.Count(m => m.Type == type);
            output.WriteLine($"  {type,-10} recall {(double)found / planted:0.000} ({found}/{planted})");
        }
        output.WriteLine($"found with span wider than the value: {inexact}; spans outside the planted value: {spurious.Count}");
        foreach (var span in spurious)
            output.WriteLine($"  spurious {span}");
        foreach (var miss in misses)
            output.WriteLine($"  missed {miss.Type} [{miss.Format}]: {miss.Text.ReplaceLineEndings("\\n")}");

        foreach (var type in Enum.GetValues<PiiType>())
        {
            var planted = positives.Count(p => p.Type == type);
            var recall = (double)(planted - misses.Count(m => m.Type == type)) / planted;
            Assert.True(recall >= 0.95, $"{type} recall {recall:0.000} < 0.95");
        }
        Assert.True(inexact <= positives.Count / 100, $"{inexact} matches wider than the planted value");
        Assert.True(spurious.Count <= positives.Count / 100, $"{spurious.Count} spurious spans in planted sentences");
    }

    [Fact]
    public void Negatives_that_only_look_like_pii_are_left_alone()
    {
        var negatives = PiiCorpus.Negatives(seed: 7, repeats: 8);
        var flagged = new List<(PlantedSentence Sentence, PiiSpan Span)>();
        foreach (var sentence in negatives)
            foreach (var span in scrubber.Detect([sentence.Text])[0])
                flagged.Add((sentence, span));

        var rate = (double)flagged.Select(f => f.Sentence).Distinct().Count() / negatives.Count;
        output.WriteLine($"negative sentences: {negatives.Count}, flagged: {flagged.Count}, false-positive rate {rate:0.0000}");
        foreach (var group in negatives.GroupBy(n => n.Format))
            output.WriteLine($"  {group.Key,-8} {group.Count()} sentences, {flagged.Count(f => f.Sentence.Format == group.Key)} flagged");
        foreach (var (sentence, span) in flagged)
            output.WriteLine($"  flagged {span.Type} \"{sentence.Text.Substring(span.Start, span.Length)}\" in: {sentence.Text.ReplaceLineEndings("\\n")}");

        Assert.True(negatives.Count >= 300, $"corpus too small: {negatives.Count}");
        Assert.True(rate <= 0.01, $"false-positive rate {rate:0.0000} > 0.01");
    }

    [Fact]
    public void Scrubbed_planted_sentences_hold_the_placeholder_and_not_the_value()
    {
        foreach (var sentence in PiiCorpus.Positives(seed: 99, perType: 10))
        {
            var scrubbed = scrubber.Scrub(sentence.Text).Turns[0];

            Assert.DoesNotContain(sentence.Value, scrubbed);
            Assert.Contains($"<{sentence.Type!.Value.Tag()}>", scrubbed);
        }
    }
}
