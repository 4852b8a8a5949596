using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using TemplateMessage = Pipeline.Data.ChatMessage;

namespace Pipeline.Serving.Local;

/// <summary>
/// <see cref="IChatClient"/> over a model in this process: messages rendered with the model's chat template, tokens
/// from the continuous batching scheduler (so concurrent calls share forward passes), usage counted in tokens.
/// Temperature absent or 0 decodes greedily.
/// </summary>
public sealed class LocalChatClient(ServedModel model) : IChatClient
{
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = await model.CompleteAsync(Render(messages), isChat: true, ChatOptionsMapper.ToSettings(options), cancellationToken).ConfigureAwait(false);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, result.Text))
        {
            ModelId = model.Name,
            ResponseId = ChatOptionsMapper.NewId("chatcmpl"),
            CreatedAt = DateTimeOffset.UtcNow,
            FinishReason = ChatOptionsMapper.ToFinishReason(result.FinishReason),
            Usage = ChatOptionsMapper.ToUsage(result),
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var id = ChatOptionsMapper.NewId("chatcmpl");
        var created = DateTimeOffset.UtcNow;
        await foreach (var delta in model.StreamAsync(Render(messages), isChat: true, ChatOptionsMapper.ToSettings(options), cancellationToken).ConfigureAwait(false))
        {
            var update = new ChatResponseUpdate(ChatRole.Assistant, delta.Text) { ResponseId = id, MessageId = id, ModelId = model.Name, CreatedAt = created };
            if (delta.Final is { } final)
            {
                update.FinishReason = ChatOptionsMapper.ToFinishReason(final.FinishReason);
                update.Contents.Add(new UsageContent(ChatOptionsMapper.ToUsage(final)));
            }
            yield return update;
        }
    }

    private string Render(IEnumerable<ChatMessage> messages) => model.RenderChat(ChatOptionsMapper.ToTemplateMessages(messages));

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("pipeline-local", null, model.Name)
        : serviceType.IsInstanceOfType(this) ? this
        : serviceType == typeof(ServedModel) ? model
        : null;

    public void Dispose() { }   // the ServedModel belongs to whoever made it
}

/// <summary>The one place Microsoft.Extensions.AI's chat shapes map to ours (messages, options, finish reasons, usage).</summary>
public static class ChatOptionsMapper
{
    public static IReadOnlyList<TemplateMessage> ToTemplateMessages(IEnumerable<ChatMessage> messages) =>
        [.. messages.Select(m => new TemplateMessage(m.Role.Value, m.Text))];

    public static CompletionSettings ToSettings(ChatOptions? options) => options is null ? new() : new()
    {
        MaxTokens = options.MaxOutputTokens,
        Temperature = options.Temperature,
        TopP = options.TopP,
        TopK = options.TopK,
        Stop = options.StopSequences is { } stop ? [.. stop] : [],
    };

    public static ChatFinishReason ToFinishReason(string reason) => reason == "length" ? ChatFinishReason.Length : ChatFinishReason.Stop;

    public static UsageDetails ToUsage(CompletionResult result) => new()
    {
        InputTokenCount = result.PromptTokens,
        OutputTokenCount = result.CompletionTokens,
        TotalTokenCount = result.PromptTokens + result.CompletionTokens,
    };

    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
