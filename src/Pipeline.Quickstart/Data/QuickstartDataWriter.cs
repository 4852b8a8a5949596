using System.Text;
using Pipeline.Quickstart.Corpus;
using Pipeline.Quickstart.Replies;
using Pipeline.Quickstart.Scenarios;

namespace Pipeline.Quickstart.Data;

/// <summary>
/// Writes the quickstart's data set into a folder: the pretraining corpus, the SFT conversations, the preference
/// pairs and the held-out evaluation prompts (<see cref="QuickstartDataFiles"/>). All customer messages come from
/// one seeded stream and are distinct, split in that order into evaluation, SFT and preference messages, so no
/// evaluation prompt is trained on. The same options give byte-identical files.
/// </summary>
public static class QuickstartDataWriter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static QuickstartDataSummary Write(string directory, QuickstartDataOptions? options = null)
    {
        options = (options ?? QuickstartDataOptions.Default).Validate();
        Directory.CreateDirectory(directory);

        // 1. one stream of distinct messages, split into held-out, SFT and preference messages
        var messages = new SupportDeskScenarios(options.Seed).Generate(options.EvalPrompts + options.SftExamples + options.PreferencePairs);
        var evalMessages = messages.Take(options.EvalPrompts).ToList();
        var sftMessages = messages.Skip(options.EvalPrompts).Take(options.SftExamples).ToList();
        var preferenceMessages = messages.Skip(options.EvalPrompts + options.SftExamples).ToList();

        // 2. eval prompts, kept out of the corpus too
        var evalPrompts = evalMessages.Select((m, i) => new EvalPrompt($"eval-{i + 1:D3}", m.Intent, options.SystemPrompt, m.Text, HouseStyleReplies.Good(m))).ToList();
        WriteLines(Path.Combine(directory, QuickstartDataFiles.EvalPrompts), evalPrompts.Select(QuickstartJsonLines.EvalPrompt));

        // 3. SFT conversations with the reference replies, plus the deliberate defects
        var sftLines = sftMessages.Select(m => QuickstartJsonLines.Sft(options.SystemPrompt, m.Text, HouseStyleReplies.Good(m))).ToList();
        var defects = options.IncludeDataDefects ? SftDefects.Insert(sftLines, options.SystemPrompt) : [];
        WriteLines(Path.Combine(directory, QuickstartDataFiles.Sft), sftLines);

        // 4. preference pairs, each decided by the simulated labeler
        var pairs = PreferencePairs.Build(preferenceMessages, options.Seed);
        WriteLines(Path.Combine(directory, QuickstartDataFiles.Preferences),
            pairs.Select(p => QuickstartJsonLines.Preference(options.SystemPrompt, p.Message.Text, p.Chosen, p.Rejected)));

        // 5. the pretraining corpus
        var corpusPath = Path.Combine(directory, QuickstartDataFiles.Pretraining);
        var documents = PretrainingCorpus.Write(corpusPath, options.Seed, options.PretrainingBytes, evalMessages.Select(m => m.Text).ToHashSet(StringComparer.Ordinal));

        return new QuickstartDataSummary
        {
            Directory = Path.GetFullPath(directory),
            PretrainingDocuments = documents,
            PretrainingBytes = new FileInfo(corpusPath).Length,
            SftExamples = sftMessages.Count,
            SftLines = sftLines.Count,
            SftDefects = defects,
            PreferencePairs = pairs.Count,
            EvalPrompts = evalPrompts.Count,
        };
    }

    /// <summary>UTF-8 without a byte-order mark, "\n" after every line on every platform.</summary>
    private static void WriteLines(string path, IEnumerable<string> lines)
    {
        using var writer = new StreamWriter(path, append: false, Utf8) { NewLine = "\n" };
        foreach (var line in lines)
            writer.WriteLine(line);
    }
}
