using Pipeline.Tokenizers.ChatTemplates;

namespace Pipeline.Tokenizers.Tests;

public sealed class ChatTemplateResolverTests
{
    // As stored in Qwen2-7B-Instruct's tokenizer_config.json (after JSON decoding: \n is a Jinja escape).
    private const string Qwen2Jinja =
        "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private const string Llama3Jinja =
        "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

    private static readonly ITextTokenizer PlainTokenizer =
        new ByteLevelBpeTrainer(new ByteLevelBpeTrainerOptions { VocabSize = 300, SpecialTokens = ["</s>"], BosToken = null, EosToken = "</s>", PadToken = null })
            .Train(["tiny corpus"]).CreateTokenizer();

    [Fact]
    public void Detects_qwen2_from_its_jinja_including_the_default_system_prompt()
    {
        var template = ChatTemplateResolver.Detect(Qwen2Jinja, PlainTokenizer);
        var chatMl = Assert.IsType<ChatMlTemplate>(template);
        Assert.Equal("You are a helpful assistant.", chatMl.DefaultSystemPrompt);
    }

    [Fact]
    public void Detects_llama3_and_alpaca_from_jinja()
    {
        Assert.IsType<Llama3ChatTemplate>(ChatTemplateResolver.Detect(Llama3Jinja, PlainTokenizer));
        var alpaca = Assert.IsType<AlpacaChatTemplate>(ChatTemplateResolver.Detect("{{ '### Instruction:\\n' }}", PlainTokenizer));
        Assert.Equal("</s>", alpaca.EndOfTurnToken);
    }

    [Fact]
    public void Detects_from_special_tokens_when_there_is_no_jinja()
    {
        var chatMlTokenizer = new ByteLevelBpeTrainer(new ByteLevelBpeTrainerOptions { VocabSize = 300 }).Train(["x"]).CreateTokenizer();
        Assert.IsType<ChatMlTemplate>(ChatTemplateResolver.Detect(null, chatMlTokenizer));
        Assert.Null(ChatTemplateResolver.Detect(null, PlainTokenizer));
    }

    [Fact]
    public void Configured_name_overrides_detection()
    {
        Assert.IsType<Llama3ChatTemplate>(ChatTemplateResolver.Resolve("llama3", PlainTokenizer, Qwen2Jinja));
        Assert.IsType<ChatMlTemplate>(ChatTemplateResolver.Resolve(null, PlainTokenizer, Qwen2Jinja));
    }

    [Fact]
    public void Unknown_name_lists_the_supported_names()
    {
        var error = Assert.Throws<ArgumentException>(() => ChatTemplateResolver.FromName("vicuna"));
        Assert.Contains("'vicuna'", error.Message);
        foreach (var name in ChatTemplateResolver.SupportedNames) Assert.Contains(name, error.Message);
    }

    [Fact]
    public void Nothing_configured_or_detected_is_an_error_naming_the_choices()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ChatTemplateResolver.Resolve(null, PlainTokenizer, jinja: null));
        Assert.Contains("chatml", error.Message);
    }

    [Fact]
    public void Each_template_names_itself_resolvably()
    {
        foreach (var name in ChatTemplateResolver.SupportedNames)
        {
            var template = ChatTemplateResolver.FromName(name, "</s>");
            Assert.Equal(name, template.Name);
            Assert.Equal(name, ChatTemplateResolver.Detect(template.Jinja, PlainTokenizer)!.Name);
        }
    }
}
