using Pipeline.Cli.Commands.Model;
using Pipeline.Modeling.Evaluation;
using Pipeline.Tokenizers;
using Pipeline.Tokenizers.ChatTemplates;

namespace Pipeline.Cli.Tests.Model;

public sealed class EvaluationDataReaderTests(TinyModelFolders models)
{
    [Fact]
    public void Messages_are_rendered_with_the_chat_template_and_completion_only_scores_the_reply()
    {
        var tokenizer = TokenizerLoader.Load(models.Llama.Directory);
        using var folder = new TempFolder();
        var path = folder.PathOf("data.jsonl");
        File.WriteAllLines(path,
        [
            """{"id":"a","messages":[{"role":"user","content":"Where is my order?"},{"role":"assistant","content":"It ships today."}]}""",
            "",
            """{"text":"Thank you for your patience."}""",
        ]);
        var data = EvaluationDataReader.Read(path, tokenizer, () => new ChatMlTemplate(), completionOnly: true);

        Assert.Equal("jsonl/mixed", data.Format);
        Assert.Equal(2, data.Sequences.Count);
        var conversation = data.Sequences[0];
        var expected = tokenizer.Encode("<|im_start|>user\nWhere is my order?<|im_end|>\n<|im_start|>assistant\nIt ships today.<|im_end|>\n");
        Assert.Equal(expected, conversation.Ids);
        // Scored: "It ships today." and <|im_end|>; not the prompt, the headers or the final newline.
        var scoredText = tokenizer.Decode(conversation.Ids.Where((_, i) => conversation.Scored[i]), skipSpecialTokens: false);
        Assert.Equal("It ships today.<|im_end|>", scoredText);
        Assert.Equal(tokenizer.Encode("Thank you for your patience.", addSpecialTokens: true), data.Sequences[1].Ids);
        Assert.All(data.Sequences[1].Scored, Assert.True);
    }

    [Fact]
    public void A_preference_pair_is_scored_with_its_chosen_reply_and_role_aliases_are_accepted()
    {
        var tokenizer = TokenizerLoader.Load(models.Llama.Directory);
        using var folder = new TempFolder();
        var path = folder.PathOf("pairs.jsonl");
        File.WriteAllText(path, """{"messages":[{"role":"human","content":"Hi"}],"chosen":"Hello!","rejected":"Go away."}""" + "\n");
        var data = EvaluationDataReader.Read(path, tokenizer, () => new ChatMlTemplate(), completionOnly: false);
        Assert.Equal("jsonl/messages", data.Format);
        Assert.Equal(tokenizer.Encode("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n"), data.Sequences[0].Ids);
    }

    [Fact]
    public void Text_files_are_one_document_and_need_no_chat_template()
    {
        var tokenizer = TokenizerLoader.Load(models.Llama.Directory);
        using var folder = new TempFolder();
        File.WriteAllText(folder.PathOf("a.txt"), "line one\n\nline two");
        var data = EvaluationDataReader.Read(folder.PathOf("a.txt"), tokenizer, () => throw new InvalidOperationException("not needed"), completionOnly: false);
        Assert.Equal("text", data.Format);
        Assert.Equal(tokenizer.Encode("line one\n\nline two", addSpecialTokens: true), Assert.Single(data.Sequences).Ids);
    }

    [Theory]
    [InlineData("""{"prompt":"x"}""", "data.jsonl:2: a line needs \"messages\"")]
    [InlineData("""{"messages":[{"role":"narrator","content":"x"}]}""", "data.jsonl:2: messages[0] has role \"narrator\"")]
    [InlineData("""{"messages":[{"role":"user"}]}""", "data.jsonl:2: messages[0] needs \"content\"")]
    [InlineData("""{"text": 3""", "data.jsonl:2: not valid JSON")]
    public void Bad_lines_are_named_by_file_and_line(string badLine, string expected)
    {
        var tokenizer = TokenizerLoader.Load(models.Llama.Directory);
        using var folder = new TempFolder();
        File.WriteAllLines(folder.PathOf("data.jsonl"), ["""{"text":"fine"}""", badLine]);
        var error = Assert.Throws<FormatException>(() =>
            EvaluationDataReader.Read(folder.PathOf("data.jsonl"), tokenizer, () => new ChatMlTemplate(), completionOnly: false));
        Assert.Contains(expected, error.Message);
    }
}
