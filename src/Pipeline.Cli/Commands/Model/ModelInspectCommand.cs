using System.CommandLine;
using System.Text.Json;
using Pipeline.Modeling.Configuration;
using Spectre.Console;

namespace Pipeline.Cli.Commands.Model;

/// <summary><c>pipeline model inspect DIR</c>: architecture, parameters, dtype, tokenizer and chat template of a model folder.</summary>
internal static class ModelInspectCommand
{
    public static Command Create(Lazy<CommandOutput> output)
    {
        var directory = new Argument<string>("DIR") { Description = "Model folder in the Hugging Face layout." };
        var json = ModelOptions.Json();
        var command = new Command("inspect", "Show a model folder's architecture, parameter count, dtype, tokenizer and chat template.") { directory, json };
        command.SetAction((r, _) => ModelCliErrors.Guard(() => Run(output.Value, r.GetValue(directory)!, r.GetValue(json))));
        return command;
    }

    private static int Run(CommandOutput output, string directory, bool json)
    {
        var inspection = ModelInspector.Inspect(directory);
        if (json)
        {
            output.Data.WriteLine(ModelInspector.ToJson(inspection).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }
        var c = inspection.Config;
        var table = new Table().AddColumns("", "").HideHeaders();
        void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
        Row("folder", inspection.Directory);
        Row("architecture", $"{c.ModelType} ({c.Architecture})");
        var exact = inspection.Parameters.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        var rounded = ModelFormatting.Count(inspection.Parameters);
        Row("parameters", $"{rounded}{(rounded == exact ? "" : $" ({exact})")}; embeddings {ModelFormatting.Count(inspection.EmbeddingParameters)}");
        Row("layers × hidden", $"{c.NumLayers} × {c.HiddenSize}, MLP {c.IntermediateSize}, activation {c.HiddenAct}");
        Row("attention", $"{c.NumHeads} heads, {c.NumKvHeads} key/value heads, head dim {c.HeadDim}" +
            (c.Architecture == ModelArchitecture.Llama ? $", RoPE θ {c.RopeTheta:0.#}" : "") + (c.SlidingWindow is { } w ? $", sliding window {w}" : ""));
        Row("context", $"{c.MaxPositionEmbeddings} tokens");
        Row("vocabulary", $"{c.VocabSize}, embeddings {(c.TieWordEmbeddings ? "tied to lm_head" : "separate from lm_head")}");
        Row("dtype", $"{c.TorchDtype} (config); checkpoint: {string.Join(", ", inspection.CheckpointDtypes.Select(d => $"{d.Key} ×{d.Value}"))}");
        Row("weights", $"{ModelFormatting.Bytes(inspection.WeightBytes)} in {inspection.Shards} file(s)");
        if (inspection.Tokenizer is { } t)
        {
            Row("tokenizer", $"{t.Files}, {t.VocabSize} ids");
            Row("special tokens", $"bos {t.Bos ?? "-"}, eos {t.Eos ?? "-"}, pad {t.Pad ?? "-"}{(t.PadIsEosFallback ? " (eos fallback)" : "")}; " +
                $"generation stops at ids [{string.Join(", ", t.StopTokenIds)}]");
            Row("chat template", t.ChatTemplate is null
                ? (t.ChatTemplateConfigured ? "configured, but not one of chatml, qwen2, llama3, alpaca" : "none")
                : $"{t.ChatTemplate} ({(t.ChatTemplateConfigured ? "tokenizer_config.json" : "detected from special tokens")})");
        }
        else
        {
            Row("tokenizer", "unusable: " + inspection.TokenizerProblem);
        }
        output.Console.Write(table);
        return 0;
    }
}
