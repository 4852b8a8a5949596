using System.CommandLine;
using Pipeline.Cli.Commands.Model;
using Pipeline.Modeling.Generation;
using Pipeline.Modeling.Quantization;
using Pipeline.Serving.Http;
using Pipeline.Serving.Local;
using Spectre.Console;

namespace Pipeline.Cli.Commands.Serving;

/// <summary>
/// <c>pipeline serve --model DIR [--adapter DIR] [--port N] [--host 127.0.0.1]</c>: an OpenAI-compatible server over a
/// model folder, with continuous batching. Runs until Ctrl+C.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(Lazy<CommandOutput> output)
    {
        var model = ModelOptions.Model();
        var adapter = ModelOptions.Adapter();
        var chatTemplate = ModelOptions.ChatTemplate();
        var dtype = ModelOptions.Dtype();
        var nf4 = ModelOptions.Nf4();
        var host = new Option<string>("--host") { Description = "Address to listen on (127.0.0.1: this machine only).", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "TCP port (0: any free one; the address is printed).", DefaultValueFactory = _ => 8000 };
        var maxBatch = new Option<int>("--max-batch") { Description = "Most requests decoded together in one forward pass.", DefaultValueFactory = _ => 16 };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Most new tokens per request (requests asking for more are capped).", DefaultValueFactory = _ => 512 };
        var tokenBudget = new Option<int>("--token-budget") { Description = "Most prompt + new tokens of all running requests together (bounds memory).", DefaultValueFactory = _ => 16_384 };
        var command = new Command("serve", "Serve a model (and optional adapter) over an OpenAI-compatible HTTP API: /v1/chat/completions, /v1/completions, " +
            "/v1/models, /health, /metrics. Concurrent requests are batched into one forward pass.")
        {
            model, adapter, chatTemplate, dtype, nf4, host, port, maxBatch, maxTokens, tokenBudget,
        };
        command.SetAction((r, cancellation) => ModelCliErrors.GuardAsync(async () =>
        {
            if (r.GetValue(port) is < 0 or > 65535) throw new ArgumentException($"--port {r.GetValue(port)}: must be 0 to 65535.");
            var computeDtype = ModelOptions.ParseDtype(r.GetValue(dtype));
            var loaded = LoadedModel.Load(r.GetValue(model)!, r.GetValue(adapter), computeDtype, ModelOptions.Nf4Base(r.GetValue(nf4), computeDtype, r.GetValue(model)!));
            var scheduler = new SchedulerOptions { MaxBatch = r.GetValue(maxBatch), MaxNewTokensPerRequest = r.GetValue(maxTokens), TokenBudget = r.GetValue(tokenBudget) };
            var template = TryChatTemplate(loaded, r.GetValue(chatTemplate));
            using var served = new ServedModel(Path.GetFileName(loaded.Directory), loaded.Model, loaded.Tokenizer, template, scheduler);
            return await RunAsync(output.Value, served, new ServeOptions { Host = r.GetValue(host)!, Port = r.GetValue(port) }, cancellation);
        }));
        return command;
    }

    private static Pipeline.Tokenizers.ChatTemplates.IChatTemplate? TryChatTemplate(LoadedModel loaded, string? name)
    {
        try
        {
            return loaded.ChatTemplate(name);
        }
        catch (ArgumentException) when (name is null)
        {
            return null;   // a base model without a template still serves /v1/completions; /v1/chat/completions says why not
        }
    }

    private static async Task<int> RunAsync(CommandOutput output, ServedModel served, ServeOptions options, CancellationToken cancellation)
    {
        await using var app = OpenAiServer.Build(served, options);
        try
        {
            await app.StartAsync(cancellation);
        }
        catch (IOException ex)
        {
            throw new CliException($"Cannot listen on {options.Host}:{options.Port}: {ex.Message} Pass another --port.");
        }
        var address = app.Urls.First();
        output.Data.WriteLine($"Serving {served.Name} on {address}/v1 (OpenAI-compatible; Ctrl+C stops)");
        output.Data.Flush();
        if (options.Host is not ("127.0.0.1" or "localhost" or "::1"))
            output.Console.MarkupLine($"[yellow]warning:[/] listening on {options.Host}: anyone who can reach this address can use the model; there is no authentication.");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellation);
        }
        catch (OperationCanceledException)
        {
        }
        await app.StopAsync(CancellationToken.None);
        return 0;
    }
}
