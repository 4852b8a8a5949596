namespace Pipeline.Quickstart.Tests;

public sealed class EvalPromptFileTests : IDisposable
{
    private readonly string _path = Path.Combine(Directory.CreateTempSubdirectory("quickstart-eval-").FullName, "eval_prompts.jsonl");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);

    [Fact]
    public void Reads_what_the_writer_writes()
    {
        var prompt = new EvalPrompt("eval-001", SupportIntent.DamagedItem, "Be nice.", "My lamp arrived broken.\nThanks, Anna", "Hi Anna, a replacement is on its way.\n— Support Team");
        File.WriteAllText(_path, QuickstartJsonLines.EvalPrompt(prompt) + "\n\n");
        Assert.Equal([prompt], EvalPromptFile.Read(_path));
    }

    [Fact]
    public void A_bad_line_is_named_with_its_file_and_number()
    {
        File.WriteAllLines(_path,
        [
            QuickstartJsonLines.EvalPrompt(new EvalPrompt("eval-001", SupportIntent.ThankYou, "s", "Thanks a lot!", "r")),
            """{"id":"eval-002","intent":"refund","prompt":[{"role":"user","content":"x"}],"reference":"r"}""",
        ]);
        var error = Assert.Throws<FormatException>(() => EvalPromptFile.Read(_path));
        Assert.StartsWith($"{_path}:2: 'refund' is not a support intent", error.Message);
    }

    [Fact]
    public void A_missing_field_is_named()
    {
        File.WriteAllText(_path, """{"id":"eval-001","intent":"thank_you","reference":"r"}""");
        var error = Assert.Throws<FormatException>(() => EvalPromptFile.Read(_path));
        Assert.StartsWith($"{_path}:1: missing field 'prompt'.", error.Message);
    }
}
