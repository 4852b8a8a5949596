using System.Text.Json;
using System.Text;
using Pipeline.Quickstart.Data;
using Pipeline.Quickstart.Labeling;

namespace Pipeline.Quickstart.Tests;

public sealed class QuickstartDataWriterTests : IDisposable
{
    private static readonly QuickstartDataOptions Small = new()
    {
        Seed = 3,
        SftExamples = 40,
        PreferencePairs = 22,
        EvalPrompts = 11,
        PretrainingBytes = 20_000,
    };

    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private string Write(string name, QuickstartDataOptions options, out QuickstartDataSummary summary)
    {
        var directory = folder.PathOf(name);
        summary = QuickstartDataWriter.Write(directory, options);
        return directory;
    }

    private static string[] Lines(string directory, string file) => File.ReadAllText(Path.Combine(directory, file)).TrimEnd('\n').Split('\n');

    [Fact]
    public void The_same_options_give_byte_identical_files_and_another_seed_different_ones()
    {
        var first = Write("first", Small, out _);
        var second = Write("second", Small, out _);
        var other = Write("other", Small with { Seed = 4 }, out _);
        foreach (var file in QuickstartDataFiles.All)
        {
            var bytes = File.ReadAllBytes(Path.Combine(first, file));
            Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(second, file)));
            Assert.NotEqual(bytes, File.ReadAllBytes(Path.Combine(other, file)));
        }
    }

    [Fact]
    public void Files_are_utf8_without_a_byte_order_mark_with_unix_line_ends()
    {
        var directory = Write("encoding", Small, out _);
        foreach (var file in QuickstartDataFiles.All)
        {
            var bytes = File.ReadAllBytes(Path.Combine(directory, file));
            Assert.NotEqual((byte)0xEF, bytes[0]);
            Assert.DoesNotContain((byte)'\r', bytes);
            Assert.Equal((byte)'\n', bytes[^1]);
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            if (file != QuickstartDataFiles.Pretraining) Assert.Contains("— Support Team", text);
        }
    }

    [Fact]
    public void Sft_rows_are_system_user_assistant_with_replies_that_follow_every_rule()
    {
        var directory = Write("sft", Small, out var summary);
        var lines = Lines(directory, QuickstartDataFiles.Sft);
        Assert.Equal(44, lines.Length);
        Assert.Equal(new QuickstartDataSummary
        {
            Directory = summary.Directory, PretrainingDocuments = summary.PretrainingDocuments, PretrainingBytes = summary.PretrainingBytes,
            SftExamples = 40, SftLines = 44, SftDefects = summary.SftDefects, PreferencePairs = 22, EvalPrompts = 11,
        }, summary);
        var defectLines = summary.SftDefects.Select(d => d.Line).ToHashSet();
        for (var i = 0; i < lines.Length; i++)
        {
            if (defectLines.Contains(i + 1)) continue;
            var messages = JsonDocument.Parse(lines[i]).RootElement.GetProperty("messages").EnumerateArray().ToList();
            Assert.Equal(["system", "user", "assistant"], messages.Select(m => m.GetProperty("role").GetString()));
            Assert.Equal(Small.SystemPrompt, messages[0].GetProperty("content").GetString());
            var user = messages[1].GetProperty("content").GetString()!;
            Assert.Equal(1.0, SimulatedLabeler.Default.Score(user, messages[2].GetProperty("content").GetString()!).Score);
        }
    }

    [Fact]
    public void The_deliberate_defects_are_where_the_summary_says()
    {
        var directory = Write("defects", Small, out var summary);
        var lines = Lines(directory, QuickstartDataFiles.Sft);
        // 40 rows; insertions at 40/4 = 10, 40/3 = 13, 2*40/3 = 26 and 40, each shifted by the ones before it
        // (0-based 10, 14, 28, 43); the second copied row, 40/2 = 20, sits after two insertions at 22.
        Assert.Equal(
            [new(11, "exact duplicate of line 2"), new(15, "invalid JSON: the line is cut off half-way"), new(29, "empty assistant turn"), new(44, "exact duplicate of line 23")],
            summary.SftDefects);
        Assert.Equal(lines[1], lines[10]);
        Assert.Equal(lines[22], lines[43]);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(lines[14]));
        var emptyReply = JsonDocument.Parse(lines[28]).RootElement.GetProperty("messages")[2];
        Assert.Equal("assistant", emptyReply.GetProperty("role").GetString());
        Assert.Equal("", emptyReply.GetProperty("content").GetString());
        Assert.Equal(lines.Length - 2, lines.Distinct().Count());
    }

    [Fact]
    public void Without_defects_every_line_is_a_distinct_valid_row()
    {
        var directory = Write("clean", Small with { IncludeDataDefects = false }, out var summary);
        var lines = Lines(directory, QuickstartDataFiles.Sft);
        Assert.Empty(summary.SftDefects);
        Assert.Equal(40, lines.Distinct().Count());
        Assert.All(lines, l => JsonDocument.Parse(l).Dispose());
    }

    [Fact]
    public void Preference_rows_carry_the_prompt_and_a_chosen_reply_the_labeler_scores_higher()
    {
        var directory = Write("preferences", Small, out _);
        var lines = Lines(directory, QuickstartDataFiles.Preferences);
        Assert.Equal(22, lines.Length);
        Assert.All(lines, line =>
        {
            var row = JsonDocument.Parse(line).RootElement;
            Assert.Equal(["prompt", "chosen", "rejected"], row.EnumerateObject().Select(p => p.Name));
            var prompt = row.GetProperty("prompt").EnumerateArray().ToList();
            Assert.Equal(["system", "user"], prompt.Select(m => m.GetProperty("role").GetString()));
            var user = prompt[1].GetProperty("content").GetString()!;
            var chosen = SimulatedLabeler.Default.Score(user, row.GetProperty("chosen").GetString()!).Score;
            var rejected = SimulatedLabeler.Default.Score(user, row.GetProperty("rejected").GetString()!).Score;
            Assert.True(chosen > rejected);
        });
    }

    [Fact]
    public void Eval_prompts_are_held_out_from_every_training_file()
    {
        var directory = Write("held-out", Small, out _);
        var prompts = EvalPromptFile.Read(Path.Combine(directory, QuickstartDataFiles.EvalPrompts));
        Assert.Equal(Enumerable.Range(1, 11).Select(i => $"eval-{i:D3}"), prompts.Select(p => p.Id));
        Assert.Equal(SupportIntents.All.Order(), prompts.Select(p => p.Intent).Order());
        Assert.All(prompts, p => Assert.Equal(1.0, SimulatedLabeler.Default.Score(p.Message, p.Reference, p.Intent).Score));

        var trainingMessages = Lines(directory, QuickstartDataFiles.Sft).Concat(Lines(directory, QuickstartDataFiles.Preferences))
            .Where(l => l.EndsWith('}'))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Select(row => (row.TryGetProperty("messages", out var m) ? m : row.GetProperty("prompt"))[1].GetProperty("content").GetString())
            .ToHashSet();
        var corpus = File.ReadAllText(Path.Combine(directory, QuickstartDataFiles.Pretraining));
        Assert.All(prompts, p =>
        {
            Assert.DoesNotContain(p.Message, trainingMessages);
            Assert.DoesNotContain($": {p.Message}\n", corpus);
        });
    }

    [Fact]
    public void Out_of_range_options_are_named()
    {
        var error = Assert.Throws<ArgumentException>(() => QuickstartDataWriter.Write(folder.Path, Small with { SftExamples = 2 }));
        Assert.Equal("QuickstartDataOptions.SftExamples is 2; allowed: 4 to 100000 (4 or more when IncludeDataDefects is on: the defects copy rows).", error.Message);
        error = Assert.Throws<ArgumentException>(() => QuickstartDataWriter.Write(folder.Path, Small with { PretrainingBytes = 10 }));
        Assert.Contains("PretrainingBytes is 10; allowed: 1000 to", error.Message);
    }
}
