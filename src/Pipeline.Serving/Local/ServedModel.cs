using System.Runtime.CompilerServices;
using Pipeline.Data;
using Pipeline.Modeling;
using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Adapters.Lora;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Modeling.Generation;
using Pipeline.Tokenizers;
using Pipeline.Tokenizers.ChatTemplates;

namespace Pipeline.Serving.Local;

/// <summary>What a caller asks of one completion, in the model's own terms (the chat client and the HTTP server map to it).</summary>
public sealed record CompletionSettings
{
    /// <summary>Most new tokens (null: the server's per-request maximum).</summary>
    public int? MaxTokens { get; init; }

    /// <summary>0: greedy; above 0: sampling at this temperature (null: greedy, so a served answer is reproducible unless asked otherwise).</summary>
    public double? Temperature { get; init; }

    public double? TopP { get; init; }
    public int? TopK { get; init; }

    /// <summary>Texts that end the completion (not included in it), as OpenAI's <c>stop</c>.</summary>
    public IReadOnlyList<string> Stop { get; init; } = [];
}

/// <summary>A finished completion: its text (stop text removed), why it stopped and the token counts.</summary>
public sealed record CompletionResult(string Text, string FinishReason, int PromptTokens, int CompletionTokens);

/// <summary>A piece of a streamed completion; the last one carries the finish reason and the counts.</summary>
public sealed record CompletionDelta(string Text, CompletionResult? Final);

/// <summary>
/// One model served in-process: weights, tokenizer, chat template and the continuous batching scheduler that puts every
/// concurrent request into the same forward pass. Text in, text out; the chat client and the HTTP server sit on top.
/// </summary>
public sealed class ServedModel : IDisposable
{
    private readonly IReadOnlyList<int> stopIds;

    public ServedModel(string name, CausalLanguageModel model, ITextTokenizer tokenizer, IChatTemplate? chatTemplate, SchedulerOptions scheduler)
    {
        Name = name;
        Model = model;
        Tokenizer = tokenizer;
        ChatTemplate = chatTemplate;
        Scheduler = new ContinuousBatchScheduler(model, scheduler);
        var special = tokenizer.SpecialTokens;
        var stops = new List<int>(special.StopTokenIds);
        if (special.EosId is { } eos) stops.Add(eos);
        // A chat reply ends at the template's end of turn (<|im_end|>, <|eot_id|>) even when eos is another token.
        if (chatTemplate is not null && tokenizer.TokenToId(chatTemplate.EndOfTurnToken) is { } endOfTurn) stops.Add(endOfTurn);
        if (stops.Count == 0) stops.AddRange(model.Config.EosTokenIds);
        stopIds = [.. stops.Distinct()];
        PadId = special.PaddingId;
    }

    /// <summary>Loads a Hugging Face folder (config.json, safetensors, tokenizer files) and, optionally, a LoRA adapter on it.</summary>
    public static ServedModel Load(string directory, string? loraAdapter = null, SchedulerOptions? scheduler = null, string? chatTemplate = null)
    {
        var full = Path.GetFullPath(directory);
        if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"Model folder '{full}' does not exist.");
        var tokenizer = TokenizerLoader.Load(full);
        var model = CausalLmLoader.Load(full);
        if (loraAdapter is not null) LoraAdapter.Load(model, Path.GetFullPath(loraAdapter));
        return new ServedModel(Path.GetFileName(full.TrimEnd(Path.DirectorySeparatorChar)), model, tokenizer,
            TryTemplate(chatTemplate, tokenizer, full), scheduler ?? new SchedulerOptions());
    }

    private static IChatTemplate? TryTemplate(string? name, ITextTokenizer tokenizer, string directory)
    {
        try
        {
            return ChatTemplateResolver.Resolve(name, tokenizer, new DirectoryInfo(directory));
        }
        catch (InvalidOperationException) when (name is null)
        {
            return null;   // a base model without a template still serves /v1/completions
        }
    }

    public string Name { get; }
    public CausalLanguageModel Model { get; }
    public ITextTokenizer Tokenizer { get; }
    public IChatTemplate? ChatTemplate { get; }
    public ContinuousBatchScheduler Scheduler { get; }
    public int PadId { get; }

    /// <summary>Renders chat messages with the model's template, ending with the assistant header.</summary>
    public string RenderChat(IReadOnlyList<ChatMessage> messages)
    {
        if (ChatTemplate is null)
            throw new ArgumentException($"Model '{Name}' has no chat template (tokenizer_config.json has none and none was detected); use /v1/completions or pass --chat-template.");
        return ChatTemplate.Render(messages, addGenerationPrompt: true).Text;
    }

    /// <summary>Completes a prompt (raw text: the tokenizer adds its own special tokens; a rendered chat: it already has them).</summary>
    public async Task<CompletionResult> CompleteAsync(string prompt, bool isChat, CompletionSettings settings, CancellationToken cancellation = default)
    {
        CompletionResult? final = null;
        await foreach (var delta in StreamAsync(prompt, isChat, settings, cancellation).ConfigureAwait(false)) final = delta.Final ?? final;
        return final!;
    }

    /// <summary>Streams a completion as text pieces while the scheduler chooses its tokens.</summary>
    public async IAsyncEnumerable<CompletionDelta> StreamAsync(string prompt, bool isChat, CompletionSettings settings,
        [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        var ids = Tokenizer.Encode(prompt, addSpecialTokens: !isChat).ToArray();
        if (ids.Length == 0) throw new ArgumentException("The prompt is empty.");
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var request = Scheduler.Submit(ids, Options(settings), linked.Token);
        var tokens = new List<int>();
        var sent = 0;             // characters of the text already sent
        var stopped = false;
        await foreach (var token in request.Tokens.ReadAllAsync(cancellation).ConfigureAwait(false))
        {
            tokens.Add(token);
            var text = Tokenizer.Decode(tokens, skipSpecialTokens: true);
            if (text.EndsWith('\uFFFD')) continue;   // half of a multi-byte character: wait for the rest
            var (visible, hitStop) = CutAtStop(text, settings.Stop);
            // Hold back a tail that could be the start of a stop text, so it is never sent and then taken back.
            var safe = hitStop ? visible.Length : Math.Max(sent, visible.Length - HoldBack(visible, settings.Stop));
            if (safe > sent)
            {
                yield return new CompletionDelta(visible[sent..safe], null);
                sent = safe;
            }
            if (hitStop)
            {
                stopped = true;
                linked.Cancel();   // the scheduler drops the row at its next step
                break;
            }
        }
        var full = Tokenizer.Decode(tokens, skipSpecialTokens: true);
        var (finalText, _) = CutAtStop(full, settings.Stop);
        if (!stopped && finalText.Length > sent) yield return new CompletionDelta(finalText[sent..], null);
        var reason = stopped ? "stop" : (await request.Completion.ConfigureAwait(false)).FinishReason == FinishReason.MaxNewTokens ? "length" : "stop";
        yield return new CompletionDelta("", new CompletionResult(finalText, reason, ids.Length, tokens.Count));
    }

    private GenerationOptions Options(CompletionSettings settings)
    {
        var temperature = settings.Temperature ?? 0;
        if (temperature < 0) throw new ArgumentException($"temperature {temperature} is negative; use 0 for greedy decoding.");
        if (settings.TopP is { } p && (p <= 0 || p > 1)) throw new ArgumentException($"top_p {p} must be in (0, 1].");
        if (settings.MaxTokens is < 1) throw new ArgumentException($"max_tokens {settings.MaxTokens} must be at least 1.");
        return new GenerationOptions
        {
            MaxNewTokens = settings.MaxTokens ?? int.MaxValue,
            DoSample = temperature > 0,
            Temperature = temperature > 0 ? temperature : 1.0,
            TopP = settings.TopP ?? 1.0,
            TopK = settings.TopK ?? 0,
            EosTokenIds = stopIds,
            PadTokenId = PadId,
        };
    }

    private static (string Text, bool Hit) CutAtStop(string text, IReadOnlyList<string> stops)
    {
        var cut = -1;
        foreach (var stop in stops.Where(s => s.Length > 0))
        {
            var at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (cut < 0 || at < cut)) cut = at;
        }
        return cut < 0 ? (text, false) : (text[..cut], true);
    }

    private static int HoldBack(string text, IReadOnlyList<string> stops)
    {
        var hold = 0;
        foreach (var stop in stops.Where(s => s.Length > 0))
            for (var n = Math.Min(stop.Length - 1, text.Length); n > hold; n--)
                if (text.AsSpan(text.Length - n).SequenceEqual(stop.AsSpan(0, n))) { hold = n; break; }
        return hold;
    }

    public void Dispose()
    {
        Scheduler.Dispose();
        Model.Dispose();
    }
}
