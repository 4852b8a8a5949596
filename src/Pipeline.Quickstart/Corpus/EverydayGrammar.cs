using System.Text;
using Pipeline.Quickstart.Scenarios;

namespace Pipeline.Quickstart.Corpus;

/// <summary>Short English paragraphs about everyday life, built from <see cref="EverydayVocabulary"/> with a dozen sentence patterns.</summary>
internal static class EverydayGrammar
{
    private delegate string Pattern(SeededRandom random);

    private static readonly Pattern[] Patterns =
    [
        r => { var v = Verb(r); return $"{Someone(r)} {v.Past} {r.Pick(v.Objects)} {r.Pick(EverydayVocabulary.Places)} {r.Pick(EverydayVocabulary.Times)}."; },
        r => { var v = Verb(r); return $"{r.Pick(EverydayVocabulary.Groups)} {v.Base} {r.Pick(v.Objects)} {r.Pick(EverydayVocabulary.Places)} every week."; },
        r => { var v = Verb(r); return $"{Someone(r)} {v.Third} {r.Pick(v.Objects)} {r.Pick(EverydayVocabulary.Places)}."; },
        r => $"It was {r.Pick(EverydayVocabulary.Weather)} {r.Pick(EverydayVocabulary.Times)}, so {r.Pick(EverydayVocabulary.Groups)} {r.Pick(EverydayVocabulary.WeatherActivities)}.",
        r => $"The {r.Pick(EverydayVocabulary.Adjectives)} {r.Pick(EverydayVocabulary.Nouns)} was {r.Pick(EverydayVocabulary.Places)}.",
        r => $"{Someone(r)} felt {r.Pick(EverydayVocabulary.Feelings)} because {r.Pick(EverydayVocabulary.Reasons)}.",
        r => $"{r.Pick(SlotValues.FirstNames)} likes {r.Pick(EverydayVocabulary.Hobbies)} and {r.Pick(EverydayVocabulary.Hobbies)}.",
        r => $"There were {r.Pick(EverydayVocabulary.Counts)} {r.Pick(EverydayVocabulary.Plurals)} {r.Pick(EverydayVocabulary.Places)}.",
        r => { var v = Verb(r); return $"{Someone(r)} will {v.Base} {r.Pick(v.Objects)} {r.Pick(EverydayVocabulary.FutureTimes)}."; },
        r => { var v = Verb(r); return $"\"Did you {v.Base} {r.Pick(v.Objects)}?\" asked {r.Pick(SlotValues.FirstNames)}."; },
        r => $"\"Yes, and it was {r.Pick(EverydayVocabulary.Adjectives)},\" said {r.Pick(SlotValues.FirstNames)}.",
        r => $"After that, {r.Pick(EverydayVocabulary.Groups)} stayed {r.Pick(EverydayVocabulary.Places)} and felt {r.Pick(EverydayVocabulary.Feelings)}.",
        r => $"{r.Pick(SlotValues.FirstNames)} lives in {r.Pick(SlotValues.Cities)} with a {r.Pick(EverydayVocabulary.Adjectives)} {r.Pick(EverydayVocabulary.Nouns)}.",
    ];

    /// <summary>A paragraph of three to seven sentences.</summary>
    public static string Paragraph(SeededRandom random)
    {
        var text = new StringBuilder();
        var sentences = random.Between(3, 7);
        for (var i = 0; i < sentences; i++)
        {
            if (i > 0) text.Append(' ');
            text.Append(Capitalize(random.Pick(Patterns)(random)));
        }
        return text.ToString();
    }

    private static EverydayVocabulary.Verb Verb(SeededRandom random) => random.Pick(EverydayVocabulary.Verbs);

    /// <summary>A person: half the time a name, otherwise "my sister" and the like.</summary>
    private static string Someone(SeededRandom random) =>
        random.Chance(0.5) ? random.Pick(SlotValues.FirstNames) : random.Pick(EverydayVocabulary.People);

    /// <summary>Upper-cases the first letter, after an opening quote if there is one.</summary>
    private static string Capitalize(string sentence)
    {
        var i = sentence.StartsWith('"') ? 1 : 0;
        return sentence[..i] + char.ToUpperInvariant(sentence[i]) + sentence[(i + 1)..];
    }
}
