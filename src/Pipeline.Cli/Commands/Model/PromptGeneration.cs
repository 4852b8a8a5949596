using Pipeline.Data;
using Pipeline.Modeling.Generation;
using Pipeline.Tokenizers.ChatTemplates;

namespace Pipeline.Cli.Commands.Model;

/// <summary>What <c>pipeline generate</c> asks for.</summary>
public sealed record GenerateRequest
{
    public required string Prompt { get; init; }

    /// <summary>Wrap the prompt as a user turn with the chat template and its assistant header (default false: raw continuation).</summary>
    public bool Chat { get; init; }

    /// <summary>A system turn before the user turn (chat only).</summary>
    public string? System { get; init; }

    /// <summary>Chat template name; null: the tokenizer's own (see <see cref="LoadedModel.ChatTemplate"/>).</summary>
    public string? ChatTemplate { get; init; }

    /// <summary>0 (default): greedy decoding, deterministic; above 0: sampling at this temperature.</summary>
    public double Temperature { get; init; }

    /// <summary>Sample among the k most likely tokens only (0, the default: off). Sampling only.</summary>
    public int TopK { get; init; }

    /// <summary>Nucleus sampling threshold (1.0, the default: off). Sampling only.</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>transformers' repetition penalty (1.0, the default: off).</summary>
    public double RepetitionPenalty { get; init; } = 1.0;

    /// <summary>Most tokens generated (default 128).</summary>
    public int MaxNewTokens { get; init; } = 128;

    /// <summary>Seed of sampling: the same seed, prompt and model give the same text. Null: a different draw each run.</summary>
    public long? Seed { get; init; }

    public GenerationOptions ToOptions(IReadOnlyList<int> stopTokenIds)
    {
        // Named by the command's options, so the console never shows GenerationOptions' own ArgumentOutOfRangeException text.
        if (Temperature < 0) throw new ArgumentException($"--temperature {Temperature} is negative; use 0 for greedy decoding or a positive value to sample.");
        if (TopK < 0) throw new ArgumentException($"--top-k {TopK} is negative; use 0 (off) or the number of most likely tokens to sample among.");
        if (TopP is <= 0 or > 1) throw new ArgumentException($"--top-p {TopP} is out of range; allowed: above 0 up to 1 (1: off).");
        if (RepetitionPenalty <= 0) throw new ArgumentException($"--repetition-penalty {RepetitionPenalty} is out of range; allowed: above 0 (1: off, above 1 discourages repeats).");
        if (MaxNewTokens < 1) throw new ArgumentException($"--max-new-tokens {MaxNewTokens} is out of range; allowed: 1 or more.");
        return new GenerationOptions
        {
            MaxNewTokens = MaxNewTokens,
            DoSample = Temperature > 0,
            Temperature = Temperature > 0 ? Temperature : 1.0,
            TopK = TopK,
            TopP = TopP,
            RepetitionPenalty = RepetitionPenalty,
            Seed = Seed,
            EosTokenIds = stopTokenIds,
        };
    }
}

/// <summary>The prompt as the model saw it and what it generated.</summary>
public sealed record GenerateResult(string RenderedPrompt, int PromptTokens, GeneratedText Output);

/// <summary>Runs one prompt through a loaded model: raw continuation, or one chat turn rendered with the chat template.</summary>
public static class PromptGeneration
{
    public static GenerateResult Generate(LoadedModel loaded, GenerateRequest request)
    {
        var tokenizer = loaded.Tokenizer;
        var special = tokenizer.SpecialTokens;
        var stops = new List<int>(special.StopTokenIds);
        if (special.EosId is { } eos) stops.Add(eos);

        var prompt = request.Prompt;
        if (request.Chat)
        {
            var template = loaded.ChatTemplate(request.ChatTemplate);
            var messages = new List<ChatMessage>();
            if (request.System is { } system) messages.Add(ChatMessage.FromSystem(system));
            messages.Add(ChatMessage.FromUser(request.Prompt));
            prompt = template.Render(messages, addGenerationPrompt: true).Text;
            // A chat reply ends at the template's end of turn (<|im_end|>, <|eot_id|>) even when eos is another token.
            if (tokenizer.TokenToId(template.EndOfTurnToken) is { } endOfTurn) stops.Add(endOfTurn);
        }
        else if (request.System is not null)
        {
            throw new ArgumentException("--system needs --chat: a system turn only exists in a chat-formatted prompt.");
        }

        // The chat template already wrote the special tokens (as apply_chat_template does); raw text gets the tokenizer's own.
        var addSpecialTokens = !request.Chat;
        var promptTokens = tokenizer.Encode(prompt, addSpecialTokens).Count;
        if (promptTokens == 0) throw new ArgumentException("The prompt is empty: give --prompt some text to continue.");
        if (promptTokens + request.MaxNewTokens > loaded.Model.Config.MaxPositionEmbeddings)
            throw new ArgumentException($"The prompt ({promptTokens} tokens) plus --max-new-tokens {request.MaxNewTokens} exceeds the model's context " +
                $"of {loaded.Model.Config.MaxPositionEmbeddings} tokens.");
        var options = request.ToOptions([.. stops.Distinct()]);
        var output = new TextGenerator(loaded.Model, tokenizer).Generate([prompt], options, addSpecialTokens)[0];
        return new GenerateResult(prompt, promptTokens, output);
    }
}
