using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Modeling.Quantization;
using Spectre.Console;

namespace Pipeline.Cli.Commands.Model;

/// <summary><c>pipeline generate --model DIR --prompt TEXT</c>: one completion, raw or as a chat turn.</summary>
internal static class GenerateCommand
{
    public static Command Create(Lazy<CommandOutput> output)
    {
        var model = ModelOptions.Model();
        var adapter = ModelOptions.Adapter();
        var prompt = new Option<string>("--prompt") { Description = "The text to continue (with --chat: the user's message).", Required = true };
        var chat = new Option<bool>("--chat") { Description = "Send the prompt as a user turn through the chat template and stop at the end of the reply." };
        var system = new Option<string?>("--system") { Description = "A system message before the user turn (with --chat)." };
        var chatTemplate = ModelOptions.ChatTemplate();
        var temperature = new Option<double>("--temperature") { Description = "0: greedy (deterministic); above 0: sample at this temperature.", DefaultValueFactory = _ => 0 };
        var topK = new Option<int>("--top-k") { Description = "Sample among the k most likely tokens (0: off).", DefaultValueFactory = _ => 0 };
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling: the smallest set of tokens reaching this probability (1: off).", DefaultValueFactory = _ => 1.0 };
        var repetitionPenalty = new Option<double>("--repetition-penalty") { Description = "Penalty on tokens already present (1: off).", DefaultValueFactory = _ => 1.0 };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Most tokens to generate.", DefaultValueFactory = _ => 128 };
        var seed = new Option<long?>("--seed") { Description = "Seed of sampling: the same seed gives the same text (default: a new draw each run)." };
        var dtype = ModelOptions.Dtype();
        var nf4 = ModelOptions.Nf4();
        var json = ModelOptions.Json();
        var command = new Command("generate", "Generate text with a model (and optional adapter): a raw continuation or a chat reply.")
        {
            model, adapter, prompt, chat, system, chatTemplate, temperature, topK, topP, repetitionPenalty, maxNewTokens, seed, dtype, json, nf4,
        };
        command.SetAction((r, _) => ModelCliErrors.Guard(() =>
        {
            var computeDtype = ModelOptions.ParseDtype(r.GetValue(dtype));
            using var loaded = LoadedModel.Load(r.GetValue(model)!, r.GetValue(adapter), computeDtype,
                ModelOptions.Nf4Base(r.GetValue(nf4), computeDtype, r.GetValue(model)!));
            var request = new GenerateRequest
            {
                Prompt = r.GetValue(prompt)!,
                Chat = r.GetValue(chat),
                System = r.GetValue(system),
                ChatTemplate = r.GetValue(chatTemplate),
                Temperature = r.GetValue(temperature),
                TopK = r.GetValue(topK),
                TopP = r.GetValue(topP),
                RepetitionPenalty = r.GetValue(repetitionPenalty),
                MaxNewTokens = r.GetValue(maxNewTokens),
                Seed = r.GetValue(seed),
            };
            return Run(output.Value, loaded, request, r.GetValue(json));
        }));
        return command;
    }

    private static int Run(CommandOutput output, LoadedModel loaded, GenerateRequest request, bool json)
    {
        var clock = Stopwatch.StartNew();
        var result = PromptGeneration.Generate(loaded, request);
        var seconds = clock.Elapsed.TotalSeconds;
        var sequence = result.Output.Sequence;
        if (json)
        {
            var obj = new JsonObject
            {
                ["model"] = loaded.Directory,
                ["adapter"] = loaded.AdapterDirectory,
                ["prompt"] = result.RenderedPrompt,
                ["prompt_tokens"] = result.PromptTokens,
                ["text"] = result.Output.Text,
                ["token_ids"] = new JsonArray([.. sequence.TokenIds.Select(id => (JsonNode?)id)]),
                ["finish_reason"] = sequence.FinishReason.ToString(),
                ["seconds"] = Math.Round(seconds, 3),
            };
            output.Data.WriteLine(obj.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }
        output.Data.WriteLine(result.Output.Text);
        output.Console.MarkupLine($"[grey]{sequence.TokenIds.Length} tokens ({FinishText(sequence.FinishReason)}) in {seconds:0.00} s, " +
            $"{sequence.TokenIds.Length / Math.Max(seconds, 1e-9):0.0} tokens/s[/]");
        return 0;
    }

    private static string FinishText(Pipeline.Modeling.Generation.FinishReason reason) => reason switch
    {
        Pipeline.Modeling.Generation.FinishReason.EndOfSequence => "stopped at end of sequence",
        Pipeline.Modeling.Generation.FinishReason.StopSequence => "stopped at a stop sequence",
        _ => "reached --max-new-tokens",
    };
}
