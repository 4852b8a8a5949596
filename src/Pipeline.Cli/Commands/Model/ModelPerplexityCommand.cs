using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.Json;
using Pipeline.Modeling.Evaluation;
using Pipeline.Modeling.Quantization;
using Spectre.Console;

namespace Pipeline.Cli.Commands.Model;

/// <summary><c>pipeline model perplexity --model DIR --data FILE</c>: mean negative log-likelihood per token and perplexity.</summary>
internal static class ModelPerplexityCommand
{
    public static Command Create(Lazy<CommandOutput> output)
    {
        var model = ModelOptions.Model();
        var adapter = ModelOptions.Adapter();
        var data = new Option<string>("--data")
        {
            Description = "A .jsonl file ({\"messages\": [...]} rendered with the chat template, or {\"text\": ...}) or a text file (one document).",
            Required = true,
        };
        var json = ModelOptions.Json();
        var maxLength = new Option<int?>("--max-length") { Description = "Longest window in tokens (default: the model's context)." };
        var stride = new Option<int?>("--stride") { Description = "New tokens scored per window of a long document (default: max length − 1)." };
        var batchSize = new Option<int>("--batch-size") { Description = "Windows per forward pass.", DefaultValueFactory = _ => 4 };
        var completionOnly = new Option<bool>("--completion-only") { Description = "Score only assistant tokens of conversations (what SFT trains on)." };
        var chatTemplate = ModelOptions.ChatTemplate();
        var dtype = ModelOptions.Dtype();
        var nf4 = ModelOptions.Nf4();
        var command = new Command("perplexity", "Mean negative log-likelihood per token and perplexity of a model over a text or JSONL file.")
        {
            model, data, adapter, json, maxLength, stride, batchSize, completionOnly, chatTemplate, dtype, nf4,
        };
        command.SetAction((r, _) => ModelCliErrors.Guard(() =>
        {
            var computeDtype = ModelOptions.ParseDtype(r.GetValue(dtype));
            using var loaded = LoadedModel.Load(r.GetValue(model)!, r.GetValue(adapter), computeDtype,
                ModelOptions.Nf4Base(r.GetValue(nf4), computeDtype, r.GetValue(model)!));
            var options = new PerplexityOptions { MaxLength = r.GetValue(maxLength), Stride = r.GetValue(stride), BatchSize = r.GetValue(batchSize) };
            return Run(output.Value, loaded, r.GetValue(data)!, options, r.GetValue(completionOnly), r.GetValue(chatTemplate), r.GetValue(json));
        }));
        return command;
    }

    private static int Run(CommandOutput output, LoadedModel loaded, string dataPath, PerplexityOptions options, bool completionOnly,
        string? chatTemplate, bool json)
    {
        var data = EvaluationDataReader.Read(dataPath, loaded.Tokenizer, () => loaded.ChatTemplate(chatTemplate), completionOnly);
        var clock = Stopwatch.StartNew();
        var result = json
            ? PerplexityEvaluator.Evaluate(loaded.Model, data.Sequences, options)
            : output.Console.Progress().AutoClear(true).Start(context =>
            {
                var task = context.AddTask("scoring windows");
                return PerplexityEvaluator.Evaluate(loaded.Model, data.Sequences, options, (done, total) =>
                {
                    task.MaxValue = total;
                    task.Value = done;
                });
            });
        var seconds = clock.Elapsed.TotalSeconds;
        if (json)
        {
            output.Data.WriteLine(ToJson(loaded, dataPath, data.Format, completionOnly, result, seconds).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }
        output.Console.MarkupLine($"[bold]perplexity {result.Perplexity:0.###}[/]  (mean NLL {result.MeanNegativeLogLikelihood:0.####} nats/token over " +
            $"{result.Tokens:N0} {(completionOnly ? "assistant " : "")}tokens)");
        output.Console.MarkupLine(Markup.Escape($"{data.Format}: {result.Documents:N0} documents in {result.Windows:N0} windows of ≤ {result.MaxLength} tokens " +
            $"(stride {result.Stride}); model {loaded.Directory}" + (loaded.AdapterDirectory is { } a ? $" + adapter {a}" : "") +
            $"; {seconds:0.0} s, {result.Tokens / Math.Max(seconds, 1e-9):0} tokens/s"));
        return 0;
    }

    private static JsonObject ToJson(LoadedModel loaded, string dataPath, string format, bool completionOnly, PerplexityResult result, double seconds) => new()
    {
        ["model"] = loaded.Directory,
        ["adapter"] = loaded.AdapterDirectory,
        ["data"] = Path.GetFullPath(dataPath),
        ["format"] = format,
        ["completion_only"] = completionOnly,
        ["documents"] = result.Documents,
        ["windows"] = result.Windows,
        ["max_length"] = result.MaxLength,
        ["stride"] = result.Stride,
        ["tokens"] = result.Tokens,
        ["mean_nll"] = result.MeanNegativeLogLikelihood,
        ["perplexity"] = result.Perplexity,
        ["seconds"] = Math.Round(seconds, 3),
    };
}
