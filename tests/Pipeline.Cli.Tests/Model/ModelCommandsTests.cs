using System.Text.Json;
using Pipeline.Cli.Commands.Model;

namespace Pipeline.Cli.Tests.Model;

/// <summary>The commands end to end, through System.CommandLine, with the output recorded.</summary>
public sealed class ModelCommandsTests(TinyModelFolders models)
{
    [Fact]
    public void Create_returns_model_with_its_subcommands_generate_and_serve()
    {
        var commands = ModelCommands.Create().ToList();
        Assert.Equal(["model", "generate", "serve"], commands.Select(c => c.Name));
        Assert.Equal(["init", "inspect", "perplexity", "merge", "quantize"], commands[0].Subcommands.Select(c => c.Name));
    }

    [Fact]
    public async Task Init_then_inspect_json_round_trips()
    {
        using var folder = new TempFolder();
        var init = new CommandRunner();
        var directory = folder.PathOf("m");
        Assert.Equal(0, await init.RunAsync("model", "init", "--arch", "gpt2", "--preset", "tiny", "--vocab-size", "300", "--seed", "3", directory));
        Assert.Contains("created", init.Console.ToString());

        var inspect = new CommandRunner();
        Assert.Equal(0, await inspect.RunAsync("model", "inspect", directory, "--json"));
        using var json = JsonDocument.Parse(inspect.Data.ToString());
        var root = json.RootElement;
        Assert.Equal("gpt2", root.GetProperty("model_type").GetString());
        Assert.Equal(300, root.GetProperty("config").GetProperty("vocab_size").GetInt32());
        Assert.Equal(300, root.GetProperty("tokenizer").GetProperty("vocab_size").GetInt32());
        Assert.Equal("chatml", root.GetProperty("tokenizer").GetProperty("chat_template").GetString());
        Assert.Equal(ModelInspector.CountParameters(directory), root.GetProperty("parameters").GetInt64());
        // wte, wpe, 12 tensors per block (two LayerNorms, c_attn, attn.c_proj, c_fc, mlp.c_proj, each weight and bias), ln_f weight and bias.
        Assert.Equal(2 + 2 * 12 + 2, root.GetProperty("checkpoint_dtypes").GetProperty("F32").GetInt32());

        var table = new CommandRunner();
        Assert.Equal(0, await table.RunAsync("model", "inspect", directory));
        Assert.Contains("chatml (tokenizer_config.json)", table.Console.ToString());
    }

    [Fact]
    public async Task Perplexity_json_reports_tokens_and_exp_of_mean_nll()
    {
        using var folder = new TempFolder();
        var data = folder.PathOf("eval.jsonl");
        File.WriteAllLines(data,
        [
            """{"messages":[{"role":"user","content":"Can I return this?"},{"role":"assistant","content":"Yes, within thirty days."}]}""",
            """{"messages":[{"role":"user","content":"Thanks!"},{"role":"assistant","content":"You are welcome."}]}""",
        ]);
        var recorded = new CommandRunner();
        Assert.Equal(0, await recorded.RunAsync("model", "perplexity", "--model", models.Llama.Directory, "--data", data, "--json", "--completion-only"));
        using var json = JsonDocument.Parse(recorded.Data.ToString());
        var root = json.RootElement;
        Assert.Equal("jsonl/messages", root.GetProperty("format").GetString());
        Assert.Equal(2, root.GetProperty("documents").GetInt32());
        Assert.True(root.GetProperty("completion_only").GetBoolean());
        Assert.InRange(root.GetProperty("tokens").GetInt64(), 6, 40);
        Assert.Equal(Math.Exp(root.GetProperty("mean_nll").GetDouble()), root.GetProperty("perplexity").GetDouble(), 6);
    }

    [Fact]
    public async Task Generate_prints_the_same_text_for_the_same_seed()
    {
        string[] args = ["generate", "--model", models.Llama.Directory, "--prompt", "Hello", "--temperature", "0.8", "--top-k", "50",
            "--max-new-tokens", "12", "--seed", "7"];
        var first = new CommandRunner();
        var second = new CommandRunner();
        Assert.Equal(0, await first.RunAsync(args));
        Assert.Equal(0, await second.RunAsync(args));
        Assert.False(string.IsNullOrWhiteSpace(first.Data.ToString()));
        Assert.Equal(first.Data.ToString(), second.Data.ToString());
        Assert.Contains("12 tokens (reached --max-new-tokens)", first.Console.ToString());
    }

    [Fact]
    public async Task Failures_exit_with_1()
    {
        using var folder = new TempFolder();
        Assert.Equal(1, await CommandRunner.RunQuietAsync("model", "inspect", folder.PathOf("missing")));
        File.WriteAllText(folder.PathOf("config.json"), """{"model_type":"bert"}""");
        Assert.Equal(1, await CommandRunner.RunQuietAsync("model", "inspect", folder.Path));
        Assert.Equal(1, await CommandRunner.RunQuietAsync("generate", "--model", models.Llama.Directory, "--prompt", "x", "--dtype", "int8"));
    }
}
