using System.Text.RegularExpressions;

namespace Pipeline.Tokenizers.ChatTemplates;

/// <summary>
/// Chooses the chat template: by name from configuration when one is given, otherwise detected from the
/// tokenizer folder's Jinja chat_template (its markers <c>&lt;|im_start|&gt;</c>, <c>&lt;|start_header_id|&gt;</c>,
/// <c>### Instruction</c>), otherwise from the special tokens the tokenizer has.
/// </summary>
public static partial class ChatTemplateResolver
{
    /// <summary>Names accepted by <see cref="FromName"/> (lower case; "qwen" and "llama-3" are aliases).</summary>
    public static IReadOnlyList<string> SupportedNames { get; } = ["chatml", "qwen2", "llama3", "alpaca"];

    /// <param name="endOfSequenceToken">The eos text, needed by alpaca (which ends responses with eos).</param>
    public static IChatTemplate FromName(string name, string? endOfSequenceToken = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            "chatml" => new ChatMlTemplate(),
            "qwen2" or "qwen" => new ChatMlTemplate(ChatMlTemplate.Qwen2DefaultSystemPrompt),
            "llama3" or "llama-3" or "llama_3" => new Llama3ChatTemplate(),
            "alpaca" => new AlpacaChatTemplate(endOfSequenceToken
                ?? throw new ArgumentException("The alpaca template ends responses with eos; the tokenizer has no eos token.", nameof(endOfSequenceToken))),
            _ => throw new ArgumentException(
                $"Unknown chat template '{name}'. Supported: {string.Join(", ", SupportedNames)}.", nameof(name)),
        };
    }

    /// <summary>Detects the template from a Jinja chat_template and/or the tokenizer's special tokens; null when nothing matches.</summary>
    public static IChatTemplate? Detect(string? jinja, ITextTokenizer? tokenizer)
    {
        var eos = tokenizer?.SpecialTokens.Eos?.Text;
        if (!string.IsNullOrEmpty(jinja))
        {
            if (jinja.Contains("<|im_start|>", StringComparison.Ordinal))
            {
                var defaultSystem = DefaultSystemPrompt().Match(jinja);
                return new ChatMlTemplate(defaultSystem.Success ? Unescape(defaultSystem.Groups[1].Value) : null);
            }
            if (jinja.Contains("<|start_header_id|>", StringComparison.Ordinal))
                return new Llama3ChatTemplate(tokenizer?.SpecialTokens.Bos?.Text ?? "<|begin_of_text|>");
            if (jinja.Contains("### Instruction", StringComparison.Ordinal) && eos is not null)
                return new AlpacaChatTemplate(eos);
        }
        if (tokenizer is null) return null;
        if (tokenizer.TokenToId("<|im_start|>") is not null && tokenizer.TokenToId("<|im_end|>") is not null)
            return new ChatMlTemplate();
        if (tokenizer.TokenToId("<|start_header_id|>") is not null && tokenizer.TokenToId("<|eot_id|>") is not null)
            return new Llama3ChatTemplate(tokenizer.SpecialTokens.Bos?.Text ?? "<|begin_of_text|>");
        return null;
    }

    /// <summary>The configured template when <paramref name="configuredName"/> is set, else the detected one.</summary>
    /// <exception cref="InvalidOperationException">Nothing configured and nothing detected.</exception>
    public static IChatTemplate Resolve(string? configuredName, ITextTokenizer tokenizer, string? jinja)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (!string.IsNullOrWhiteSpace(configuredName))
        {
            var template = FromName(configuredName, tokenizer.SpecialTokens.Eos?.Text);
            return template is Llama3ChatTemplate && tokenizer.SpecialTokens.Bos is { } bos ? new Llama3ChatTemplate(bos.Text) : template;
        }
        return Detect(jinja, tokenizer) ?? throw new InvalidOperationException(
            "No chat template is configured and none could be detected from the tokenizer's chat_template or special tokens. "
            + $"Configure one of: {string.Join(", ", SupportedNames)}.");
    }

    /// <summary>As <see cref="Resolve(string?, ITextTokenizer, string?)"/>, reading chat_template from the folder's tokenizer_config.json.</summary>
    public static IChatTemplate Resolve(string? configuredName, ITextTokenizer tokenizer, DirectoryInfo tokenizerDirectory) =>
        Resolve(configuredName, tokenizer, TokenizerConfig.Read(tokenizerDirectory.FullName).ChatTemplate);

    private static string Unescape(string jinjaLiteral) =>
        jinjaLiteral.Replace("\\n", "\n").Replace("\\'", "'").Replace("\\\\", "\\");

    // Qwen2's template: '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n' (the \n is a Jinja escape).
    [GeneratedRegex(@"<\|im_start\|>system\\n((?:[^'""{}\\]|\\[n'\\])*?)<\|im_end\|>")]
    private static partial Regex DefaultSystemPrompt();
}
