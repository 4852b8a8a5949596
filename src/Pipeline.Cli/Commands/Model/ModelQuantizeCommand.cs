using System.CommandLine;
using System.Text.Json.Nodes;
using System.Text.Json;
using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Evaluation;
using Pipeline.Modeling.Quantization;
using Spectre.Console;

namespace Pipeline.Cli.Commands.Model;

/// <summary>
/// <c>pipeline model quantize --model DIR</c>: what storing the base in NF4 (QLoRA's format) saves and costs, before
/// choosing QLoRA. Nothing is written: QLoRA quantizes at load time (see <c>--nf4</c> on generate and perplexity).
/// </summary>
internal static class ModelQuantizeCommand
{
    public static Command Create(Lazy<CommandOutput> output)
    {
        var model = ModelOptions.Model();
        var data = new Option<string?>("--data") { Description = "Also measure perplexity on this .jsonl or text file before and after quantizing." };
        var blockSize = new Option<int>("--block-size") { Description = "Weights per absmax scale.", DefaultValueFactory = _ => 64 };
        var noDouble = new Option<bool>("--no-double-quantization") { Description = "Keep the block scales in float32 instead of 8 bits." };
        var maxLength = new Option<int?>("--max-length") { Description = "Longest evaluation window in tokens (default: the model's context)." };
        var dtype = ModelOptions.Dtype();
        var json = ModelOptions.Json();
        var command = new Command("quantize",
            "Measure NF4 quantization of a model's linear layers (QLoRA's base format): storage, weight error, perplexity change. Writes nothing.")
        {
            model, data, blockSize, noDouble, maxLength, dtype, json,
        };
        command.SetAction((r, _) => ModelCliErrors.Guard(() =>
        {
            using var loaded = LoadedModel.Load(r.GetValue(model)!, dtype: ModelOptions.ParseDtype(r.GetValue(dtype)));
            var nf4 = new Nf4BaseOptions(loaded.Model.parameters().First().dtype,
                new Nf4Options { BlockSize = r.GetValue(blockSize), DoubleQuantization = !r.GetValue(noDouble) });
            var dataPath = r.GetValue(data);
            var evaluation = dataPath is null ? null
                : EvaluationDataReader.Read(dataPath, loaded.Tokenizer, () => loaded.ChatTemplate(), completionOnly: false).Sequences;
            var result = QuantizationAssessment.Run(loaded.Model, nf4, evaluation, new PerplexityOptions { MaxLength = r.GetValue(maxLength) });
            Print(output.Value, loaded, result, r.GetValue(json));
            return 0;
        }));
        return command;
    }

    private static void Print(CommandOutput output, LoadedModel loaded, QuantizationAssessmentResult result, bool json)
    {
        var report = result.Report;
        if (json)
        {
            var obj = new JsonObject
            {
                ["model"] = loaded.Directory,
                ["format"] = report.Description,
                ["quantized_layers"] = report.Modules,
                ["quantized_weights"] = report.Parameters,
                ["parameters"] = result.Parameters,
                ["quantized_bytes_per_weight"] = report.BytesPerParameter,
                ["layer_bytes_before"] = report.OriginalBytes,
                ["layer_bytes_after"] = report.QuantizedBytes,
                ["model_bytes_before"] = result.ModelBytesBefore,
                ["model_bytes_after"] = result.ModelBytesAfter,
                ["mean_abs_error"] = report.MeanAbsError,
                ["max_abs_error"] = report.MaxAbsError,
                ["relative_error"] = report.RelativeError,
                ["perplexity_before"] = result.Before?.Perplexity,
                ["perplexity_after"] = result.After?.Perplexity,
                ["evaluated_tokens"] = result.Before?.Tokens,
            };
            output.Data.WriteLine(obj.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return;
        }
        var table = new Table().AddColumns("", "full precision", "NF4 base");
        table.AddRow("linear layers (all but lm_head)", $"{report.Modules} layers, {ModelFormatting.Count(report.Parameters)} weights, " +
            ModelFormatting.Bytes(report.OriginalBytes), $"{ModelFormatting.Bytes(report.QuantizedBytes)} ({report.BytesPerParameter:0.###} bytes/weight)");
        table.AddRow("whole model (parameters + buffers)", ModelFormatting.Bytes(result.ModelBytesBefore),
            $"{ModelFormatting.Bytes(result.ModelBytesAfter)} ({100.0 * result.ModelBytesAfter / result.ModelBytesBefore:0}% of full)");
        table.AddRow("weight error |Ŵ − W|", "0", $"mean {report.MeanAbsError:G3} ({100 * report.RelativeError:0.0}% of mean |W|), max {report.MaxAbsError:G3}");
        if (result.Before is { } before && result.After is { } after)
            table.AddRow($"perplexity ({before.Tokens:N0} tokens)", $"{before.Perplexity:0.###}",
                $"{after.Perplexity:0.###} ({100 * (after.Perplexity / before.Perplexity - 1):+0.0;-0.0}%)");
        output.Console.MarkupLine(Markup.Escape($"{report.Description}; {loaded.Directory}"));
        output.Console.Write(table);
    }
}
