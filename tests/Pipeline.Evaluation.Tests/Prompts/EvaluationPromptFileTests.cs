using Pipeline.Evaluation.Prompts;

namespace Pipeline.Evaluation.Tests.Prompts;

public sealed class EvaluationPromptFileTests
{
    [Fact]
    public void The_quickstarts_held_out_prompts_read_with_references_and_intents()
    {
        var prompts = EvaluationPromptFile.Read(Path.Combine(Repository.Root, "examples", "quickstart", "data", "eval_prompts.jsonl"));
        Assert.Equal(64, prompts.Count);
        Assert.All(prompts, p => Assert.False(string.IsNullOrWhiteSpace(p.Reference)));
        Assert.Equal("eval-001", prompts[0].Id);
        Assert.Equal("thank_you", prompts[0].Labels["intent"]);
        Assert.Equal(["system", "user"], prompts[0].Messages.Select(m => m.Role));
        Assert.StartsWith("Great service", prompts[0].Question);
    }

    [Fact]
    public void The_dataset_shape_takes_its_last_assistant_turn_as_the_reference()
    {
        using var folder = new TempFolder();
        var path = folder.Write("rows.jsonl", """
            {"id":"a","messages":[{"role":"user","content":"Where is my parcel?"},{"role":"assistant","content":"Hi, it is on its way."}]}
            {"prompt":"Plain text works too."}
            """);
        var prompts = EvaluationPromptFile.Read(path);
        Assert.Equal("Hi, it is on its way.", prompts[0].Reference);
        Assert.Equal(["user"], prompts[0].Messages.Select(m => m.Role));
        Assert.Null(prompts[1].Reference);
        Assert.Equal("line-2", prompts[1].Id);
    }

    [Fact]
    public void A_prompt_with_no_text_is_an_error_naming_the_file_and_line()
    {
        using var folder = new TempFolder();
        var path = folder.Write("bad.jsonl", """
            {"id":"ok","prompt":[{"role":"user","content":"Hello"}]}
            {"id":"empty","prompt":[{"role":"system","content":"Be nice."},{"role":"user","content":"   "}]}
            """);
        var error = Assert.Throws<EvaluationInputException>(() => EvaluationPromptFile.Read(path, "stages.evaluate.prompts (bad.jsonl)"));
        Assert.Equal("stages.evaluate.prompts (bad.jsonl):2: prompt 'empty' has no text: its user message is empty.", error.Message);
    }

    [Fact]
    public void An_empty_prompt_set_is_an_error()
    {
        using var folder = new TempFolder();
        var path = folder.Write("empty.jsonl", "\n\n");
        var error = Assert.Throws<EvaluationInputException>(() => EvaluationPromptFile.Read(path));
        Assert.Contains("empty.jsonl: the prompt file holds no prompts", error.Message);
    }

    [Theory]
    [InlineData("{\"id\":\"x\"}", "missing field 'prompt'")]
    [InlineData("{\"id\":\"x\",\"prompt\":[{\"role\":\"assistant\",\"content\":\"hi\"}]}", "must end with a user turn")]
    [InlineData("not json", "not valid JSON")]
    [InlineData("{\"id\":\"x\",\"prompt\":\"a\"}\n{\"id\":\"x\",\"prompt\":\"b\"}", "the id 'x' appears twice")]
    public void Malformed_lines_say_what_is_wrong(string content, string expected)
    {
        using var folder = new TempFolder();
        var path = folder.Write("p.jsonl", content);
        var error = Assert.Throws<EvaluationInputException>(() => EvaluationPromptFile.Read(path));
        Assert.Contains(expected, error.Message);
        Assert.Contains("p.jsonl:", error.Message);
    }
}
