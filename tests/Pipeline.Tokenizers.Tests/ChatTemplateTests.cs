using Pipeline.Data;
using Pipeline.Tokenizers.ChatTemplates;

namespace Pipeline.Tokenizers.Tests;

/// <summary>
/// Expected strings are written by hand from the official Jinja templates (Qwen2-7B-Instruct,
/// Meta-Llama-3-8B-Instruct) as transformers' apply_chat_template(tokenize=False) renders them.
/// </summary>
public sealed class ChatTemplateTests
{
    private static readonly ChatMessage[] ThreeTurns =
    [
        ChatMessage.FromUser("Hi"),
        ChatMessage.FromAssistant("Hello! How can I help?"),
        ChatMessage.FromUser("What is 2+2?"),
        ChatMessage.FromAssistant("4"),
        ChatMessage.FromUser("Thanks"),
    ];

    [Fact]
    public void Qwen2_inserts_its_default_system_prompt_and_matches_the_official_template()
    {
        var rendering = ChatTemplateResolver.FromName("qwen2").Render(ThreeTurns, addGenerationPrompt: true);
        Assert.Equal(
            "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
            + "<|im_start|>user\nHi<|im_end|>\n"
            + "<|im_start|>assistant\nHello! How can I help?<|im_end|>\n"
            + "<|im_start|>user\nWhat is 2+2?<|im_end|>\n"
            + "<|im_start|>assistant\n4<|im_end|>\n"
            + "<|im_start|>user\nThanks<|im_end|>\n"
            + "<|im_start|>assistant\n",
            rendering.Text);
    }

    [Fact]
    public void Qwen2_keeps_a_given_system_prompt_and_chatml_has_no_default()
    {
        ChatMessage[] messages = [ChatMessage.FromSystem("Be brief."), ChatMessage.FromUser("Hi"), ChatMessage.FromAssistant("Hey")];
        const string expected = "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHey<|im_end|>\n";
        Assert.Equal(expected, ChatTemplateResolver.FromName("qwen2").Render(messages, false).Text);
        Assert.Equal(expected, ChatTemplateResolver.FromName("chatml").Render(messages, false).Text);
        Assert.Equal("<|im_start|>user\nHi<|im_end|>\n", new ChatMlTemplate().Render([ChatMessage.FromUser("Hi")], false).Text);
    }

    [Fact]
    public void ChatMl_marks_assistant_content_and_im_end_as_trainable()
    {
        var rendering = new ChatMlTemplate(ChatMlTemplate.Qwen2DefaultSystemPrompt).Render(ThreeTurns, addGenerationPrompt: false);
        Assert.Equal(rendering.Text, string.Concat(rendering.Segments.Select(s => s.Text)));
        Assert.Equal(
            ["Hello! How can I help?<|im_end|>", "4<|im_end|>"],
            rendering.Segments.Where(s => s.IsAssistantOutput).Select(s => s.Text));
        Assert.EndsWith("<|im_start|>user\nThanks<|im_end|>\n", rendering.Segments[^1].Text);
        Assert.False(rendering.Segments[^1].IsAssistantOutput);
    }

    [Fact]
    public void Llama3_trims_content_adds_bos_once_and_matches_the_official_template()
    {
        ChatMessage[] messages =
        [
            ChatMessage.FromSystem("You are terse."),
            ChatMessage.FromUser("  Hi\n"),
            ChatMessage.FromAssistant("Hello!\n\n"),
            ChatMessage.FromUser("2+2?"),
            ChatMessage.FromAssistant(" 4 "),
            ChatMessage.FromUser("Thanks\u001F"),
        ];
        var rendering = ChatTemplateResolver.FromName("llama3").Render(messages, addGenerationPrompt: true);
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are terse.<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\n2+2?<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n4<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nThanks<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n",
            rendering.Text);
        Assert.Equal(["Hello!<|eot_id|>", "4<|eot_id|>"], rendering.Segments.Where(s => s.IsAssistantOutput).Select(s => s.Text));
    }

    [Fact]
    public void Alpaca_uses_the_standard_preambles_and_trains_on_response_plus_eos()
    {
        var alpaca = ChatTemplateResolver.FromName("alpaca", "</s>");
        var withInput = alpaca.Render(
            [ChatMessage.FromUser("Summarize the text."), ChatMessage.FromUser("Cats sleep a lot."), ChatMessage.FromAssistant("Cats sleep much.")],
            addGenerationPrompt: false);
        Assert.Equal(
            "Below is an instruction that describes a task, paired with an input that provides further context. "
            + "Write a response that appropriately completes the request.\n\n"
            + "### Instruction:\nSummarize the text.\n\n### Input:\nCats sleep a lot.\n\n### Response:\nCats sleep much.</s>",
            withInput.Text);
        Assert.Equal(["Cats sleep much.</s>"], withInput.Segments.Where(s => s.IsAssistantOutput).Select(s => s.Text));

        var prompt = alpaca.Render([ChatMessage.FromUser("Name a color.")], addGenerationPrompt: true);
        Assert.Equal(
            "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n"
            + "### Instruction:\nName a color.\n\n### Response:\n",
            prompt.Text);
        Assert.DoesNotContain(prompt.Segments, s => s.IsAssistantOutput);
    }

    [Fact]
    public void Roles_the_alpaca_template_does_not_render_are_rejected_with_the_message_index()
    {
        // ChatML and Llama 3 render any role, as their official templates do (see ChatReferenceRenderingTests);
        // alpaca.jinja raises on roles other than system, user, assistant and tool, and so does the code.
        var error = Assert.Throws<ArgumentException>(() =>
            new AlpacaChatTemplate("</s>").Render([ChatMessage.FromUser("a"), new ChatMessage("ipython", "b")], false));
        Assert.Contains("Message 1 has role 'ipython'", error.Message);
    }

    [Fact]
    public void Tokenized_mask_covers_exactly_the_assistant_output_tokens()
    {
        var trained = new ByteLevelBpeTrainer(new ByteLevelBpeTrainerOptions { VocabSize = 400 }).Train(SampleCorpus.Lines(300));
        var tokenizer = trained.CreateTokenizer();
        var rendering = new ChatMlTemplate().Render(ThreeTurns, addGenerationPrompt: false);

        var chat = ChatTokenization.Tokenize(tokenizer, rendering);

        Assert.Equal(tokenizer.Encode(rendering.Text), chat.InputIds);
        var trainedIds = chat.InputIds.Where((_, i) => chat.TrainableMask[i]);
        Assert.Equal("Hello! How can I help?<|im_end|>4<|im_end|>", tokenizer.Decode(trainedIds, skipSpecialTokens: false));
        var imEnd = tokenizer.TokenToId("<|im_end|>")!.Value;
        Assert.Equal(2, chat.InputIds.Where((id, i) => id == imEnd && chat.TrainableMask[i]).Count());
    }
}
