using System.Text.RegularExpressions;

namespace Pipeline.Cleaning.Pii;

/// <summary>
/// Person names, found in two steps over a whole conversation, with no list needed from the user:
/// <list type="number">
/// <item>Collect names: the configured list (<see cref="DefaultPersonNames.All"/> plus the user's), names in context
/// cues of any turn (greetings "Hi Anna," "Hallo Jürgen,", sign-offs "Regards,\nTom Becker" "Cordialement,\nCamille",
/// introductions "this is Anna Nakamura", "my name is", "je m'appelle", "me llamo", titles "Mr. Okafor", "Frau Weber"),
/// and given name + surname pairs from the shipped <see cref="NameGazetteer"/> ("Lucía Fernández").</item>
/// <item>Mark every capitalised occurrence of a collected name in every turn, together with a following
/// capitalised surname, so a name learned from a signature in the last turn is also removed from the first.</item>
/// </list>
/// Names that are also everyday words (<see cref="NameGazetteer.Ambiguous"/>: Will, May, Rose, Paris, ...) count
/// only where a cue puts them or when a gazetteer surname follows ("Will Smith"), never alone ("Will it arrive?").
/// </summary>
public sealed partial class PersonNameDetector : IPiiDetector
{
    private readonly HashSet<string> knownNames;
    private readonly bool discoverFromContext;
    private readonly bool useGazetteer;

    /// <param name="knownNames">Names matched wherever they occur capitalised.</param>
    /// <param name="discoverFromGreetingsAndSignatures">Learn names from context cues (greetings, sign-offs, introductions, titles).</param>
    /// <param name="useGazetteer">Learn names from given name + surname pairs of the shipped gazetteer.</param>
    public PersonNameDetector(IEnumerable<string> knownNames, bool discoverFromGreetingsAndSignatures, bool useGazetteer = true)
    {
        this.knownNames = new HashSet<string>(knownNames, StringComparer.Ordinal);
        discoverFromContext = discoverFromGreetingsAndSignatures;
        this.useGazetteer = useGazetteer;
    }

    public PiiType Type => PiiType.Name;

    public IEnumerable<PiiSpan> Detect(string text) => Detect(text, CollectNames([text]));

    /// <summary>The configured names plus every name (and each of its parts) seen in a cue or a gazetteer pair.</summary>
    public HashSet<string> CollectNames(IReadOnlyList<string> turns)
    {
        var names = new HashSet<string>(this.knownNames, StringComparer.Ordinal);
        foreach (var turn in turns)
        {
            if (discoverFromContext)
                foreach (var cue in Cues(turn))
                    foreach (var part in cue.Parts)
                        names.Add(part);
            if (this.useGazetteer)
                foreach (var (given, surname) in GazetteerPairs(turn))
                {
                    names.Add(given);
                    names.Add(surname);
                }
        }
        return names;
    }

    public IEnumerable<PiiSpan> Detect(string text, IReadOnlySet<string> names)
    {
        HashSet<int>? cueStarts = null;
        var match = CapitalisedWordPattern().Match(text);
        while (match.Success)
        {
            if (!names.Contains(match.Value))
            {
                match = match.NextMatch();
                continue;
            }
            var start = match.Index;
            var end = match.Index + match.Length;
            var next = match.NextMatch();
            var extended = false;
            // "Anna Schmidt": a capitalised word right after a name, one space apart, is its surname.
            if (next.Success && next.Index == end + 1 && text[end] == ' ' && !NameStopWords.All.Contains(next.Value)
                && (!IsAmbiguous(match.Value) || IsSurname(next.Value, names)))
            {
                end = next.Index + next.Length;
                next = next.NextMatch();
                extended = true;
            }
            if (IsAmbiguous(match.Value) && !extended)
            {
                cueStarts ??= discoverFromContext ? [.. Cues(text).Select(c => c.Index)] : [];
                if (!cueStarts.Contains(start))
                {
                    match = next;
                    continue;
                }
            }
            yield return new PiiSpan(start, end - start, Type);
            match = next;
        }
    }

    /// <summary>A word that is a name only in context: in the ambiguous list and not configured by the user.</summary>
    private bool IsAmbiguous(string word) => NameGazetteer.Ambiguous.Contains(word) && !this.knownNames.Contains(word);

    private bool IsSurname(string word, IReadOnlySet<string> names) =>
        NameGazetteer.Surnames.Contains(word) || (names.Contains(word) && !IsAmbiguous(word));

    private bool IsGivenName(string word) => NameGazetteer.GivenNames.Contains(word) || this.knownNames.Contains(word);

    /// <summary>A name a context cue points at: where it starts, and its words.</summary>
    private readonly record struct Cue(int Index, string[] Parts);

    private IEnumerable<Cue> Cues(string text)
    {
        foreach (var pattern in new[] { GreetingPattern(), SignaturePattern(), DashSignaturePattern(), IntroductionPattern(), TitlePattern() })
        {
            foreach (Match match in pattern.Matches(text))
            {
                var name = match.Groups["name"];
                var parts = name.Value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                var hasTitle = match.Groups["title"].Success;
                if (parts.Length == 0 || (!hasTitle && NameStopWords.All.Contains(parts[0])) || parts.Any(NameStopWords.Organisation.Contains))
                    continue;
                // "I am Canadian", "je suis Content": a weak cue needs a known given name or a gazetteer surname after it.
                if (match.Groups["weak"].Success && !(IsGivenName(parts[0]) && !IsAmbiguous(parts[0])) && !(parts.Length > 1 && NameGazetteer.Surnames.Contains(parts[1])))
                    continue;
                yield return new Cue(name.Index, [.. parts.Where(p => !NameStopWords.All.Contains(p))]);
            }
        }
    }

    /// <summary>Adjacent capitalised words "Given Surname" with both in the gazetteer (the given name may also be the user's).</summary>
    private IEnumerable<(string Given, string Surname)> GazetteerPairs(string text)
    {
        var match = CapitalisedWordPattern().Match(text);
        while (match.Success)
        {
            var next = match.NextMatch();
            if (next.Success && next.Index == match.Index + match.Length + 1 && text[match.Index + match.Length] == ' '
                && IsGivenName(match.Value) && NameGazetteer.Surnames.Contains(next.Value) && !NameStopWords.All.Contains(match.Value))
                yield return (match.Value, next.Value);
            match = next;
        }
    }

    private const string NameWord = @"\p{Lu}\p{Ll}+(?:[-'’]\p{Lu}\p{Ll}+)?";

    private const string Name = @"(?<name>" + NameWord + @"(?:[ \t]" + NameWord + @")?)";

    private const string Title = @"(?<title>Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Herr|Frau|Mme|Mlle|Monsieur|Madame|Señor|Señora|Sr|Sra|Signor|Signora|Sig|Dott)\.?[ \t]+";

    [GeneratedRegex(@"(?<![\p{L}\p{N}_@./\\-])" + NameWord + @"(?![\p{L}\p{N}_@])", RegexOptions.CultureInvariant)]
    private static partial Regex CapitalisedWordPattern();

    [GeneratedRegex(
        @"\b(?:Hi|Hello|Hey|Dear|Good (?:morning|afternoon|evening)|Morning|Hallo|Moin|Servus|Liebe|Lieber|Sehr geehrte|Sehr geehrter|" +
        @"Hola|Estimado|Estimada|Querido|Querida|Bonjour|Bonsoir|Salut|Cher|Chère|Ciao|Salve|Caro|Cara|Gentile|Olá|Oi|Prezado|Prezada|" +
        @"Hej|Hei|Beste|Dag)[ \t]+" +
        @"(?:" + Title + @")?" + Name +
        @"(?=[ \t]*(?:[,!:;.\r\n]|$))",
        RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex GreetingPattern();

    [GeneratedRegex(
        @"(?<=^|[.!?][ \t]+)(?i:Regards|Best regards|Kind regards|Warm regards|Warmest regards|Best wishes|Best|All the best|Thanks|Thank you|Thanks again|Thanks in advance|Many thanks|Cheers|Sincerely|Yours sincerely|Yours truly|Yours|Cordially|Respectfully|Take care|Talk soon|Speak soon|" +
        @"Mit freundlichen Grüßen|Freundliche Grüße|Viele Grüße|Beste Grüße|Liebe Grüße|Herzliche Grüße|Grüße|Gruß|Danke|" +
        @"Cordialement|Bien cordialement|Bien à vous|Amicalement|Merci|Saludos|Un saludo|Atentamente|Gracias|Cordiali saluti|Distinti saluti|Saluti|Grazie|" +
        @"Atenciosamente|Abraços|Obrigado|Obrigada|Met vriendelijke groet|Groeten|Med vänlig hälsning|Hälsningar|Pozdrawiam)" +
        @"[ \t]*(?:,[ \t]*\r?\n?|\r?\n)[ \t]*" + Name +
        @"[ \t]*[.!]?[ \t]*(?=\r?\n|$)",
        RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex SignaturePattern();

    /// <summary>"— Anna" or "-- Tom Becker" alone on the last lines of a message.</summary>
    [GeneratedRegex(@"^[ \t]*(?:—|–|--|-)[ \t]*" + Name + @"[ \t]*(?=\r?\n|$)", RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex DashSignaturePattern();

    /// <summary>
    /// "this is Anna Nakamura." "My name is Tom." "je m'appelle Camille", "me llamo Lucía". The weak forms ("I'm", "ich bin",
    /// "je suis", "soy", "sono", "sou", "ik ben") are checked against the gazetteer by the caller.
    /// </summary>
    [GeneratedRegex(
        @"(?:(?i:\bmy name is|\bmy name's|\bname:|\bmein Name ist|\bich heiße|\bich heisse|\bje m['’]appelle|\bmon nom est|\bme llamo|\bmi nombre es|\bmi chiamo|\bil mio nome è|\bmeu nome é|\bme chamo|\bmijn naam is|\bik heet|\bjag heter)[ \t]+" + Name +
        @"|(?i:\bthis is|\bhier ist|\bc['’]est|\baquí|\bqui è)[ \t]+" + Name + @"(?=[ \t]*(?:[,!:;.\r\n]|$|(?i:from|at|of|here|speaking|calling|and|von|de|di|da)\b))" +
        @"|(?<weak>(?i:\bI am|\bI['’]m|\bich bin|\bje suis|\bsoy|\bsono|\bsou|\bik ben|\bjag är))[ \t]+" + Name + @")",
        RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex IntroductionPattern();

    [GeneratedRegex(@"\b" + Title + Name, RegexOptions.CultureInvariant)]
    private static partial Regex TitlePattern();
}
