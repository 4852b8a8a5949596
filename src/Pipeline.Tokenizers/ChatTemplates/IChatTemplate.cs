using Pipeline.Data;

namespace Pipeline.Tokenizers.ChatTemplates;

/// <summary>
/// A chat format written as code. <see cref="Render"/> produces exactly the text transformers'
/// <c>apply_chat_template(messages, tokenize=False, add_generation_prompt=...)</c> produces with
/// <see cref="Jinja"/>, together with the trainable/prompt segmentation.
/// </summary>
public interface IChatTemplate
{
    /// <summary>The name used in configuration (see <see cref="ChatTemplateResolver.SupportedNames"/>).</summary>
    string Name { get; }

    /// <summary>The token that ends an assistant turn; generation stops on it.</summary>
    string EndOfTurnToken { get; }

    /// <summary>The equivalent Jinja template, written to tokenizer_config.json's chat_template.</summary>
    string Jinja { get; }

    /// <param name="addGenerationPrompt">Append the header that starts an assistant turn, for generation.</param>
    ChatRendering Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt);
}
