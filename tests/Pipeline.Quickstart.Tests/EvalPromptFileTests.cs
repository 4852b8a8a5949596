using Pipeline.Quickstart.Data;

namespace Pipeline.Quickstart.Tests;

public sealed class EvalPromptFileTests : IDisposable
{
    private readonly TempFolder folder = new();
    private string PromptsPath => folder.PathOf("eval_prompts.jsonl");

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Reads_what_the_writer_writes()
    {
        var prompt = new EvalPrompt("eval-001", SupportIntent.DamagedItem, "Be nice.", "My lamp arrived broken.\nThanks, Anna", "Hi Anna, a replacement is on its way.\n— Support Team");
        File.WriteAllText(PromptsPath, QuickstartJsonLines.EvalPrompt(prompt) + "\n\n");
        Assert.Equal([prompt], EvalPromptFile.Read(PromptsPath));
    }

    [Fact]
    public void A_bad_line_is_named_with_its_file_and_number()
    {
        File.WriteAllLines(PromptsPath,
        [
            QuickstartJsonLines.EvalPrompt(new EvalPrompt("eval-001", SupportIntent.ThankYou, "s", "Thanks a lot!", "r")),
            """{"id":"eval-002","intent":"refund","prompt":[{"role":"user","content":"x"}],"reference":"r"}""",
        ]);
        var error = Assert.Throws<FormatException>(() => EvalPromptFile.Read(PromptsPath));
        Assert.StartsWith($"{PromptsPath}:2: 'refund' is not a support intent", error.Message);
    }

    [Fact]
    public void A_missing_field_is_named()
    {
        File.WriteAllText(PromptsPath, """{"id":"eval-001","intent":"thank_you","reference":"r"}""");
        var error = Assert.Throws<FormatException>(() => EvalPromptFile.Read(PromptsPath));
        Assert.StartsWith($"{PromptsPath}:1: missing field 'prompt'.", error.Message);
    }
}
