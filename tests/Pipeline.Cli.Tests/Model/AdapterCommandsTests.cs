using System.Text.Json;
using Pipeline.Cli.Commands.Model;
using Pipeline.Modeling;
using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Adapters.Ia3;
using Pipeline.Modeling.Adapters.Lora;
using Pipeline.Modeling.Adapters.PromptTuning;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Modeling.Quantization;
using static TorchSharp.torch;

namespace Pipeline.Cli.Tests.Model;

/// <summary>--adapter on generate and perplexity, model merge and model quantize, on a LoRA adapter made here.</summary>
public sealed class AdapterCommandsTests(TinyModelFolders models)
{
    private static readonly long[] Ids = [5, 40, 77, 120, 9, 300, 18];

    /// <summary>A LoRA adapter on q/v with random B (a fresh adapter's B is zero and would change nothing); returns its logits on <see cref="Ids"/>.</summary>
    private static Tensor SaveRandomAdapter(string baseDirectory, string adapterDirectory)
    {
        using var model = CausalLmLoader.Load(baseDirectory);
        using var generator = new Generator(11);
        LoraAdapter.Apply(model, new LoraConfig { R = 4, Alpha = 8 }, generator);
        using (no_grad())
        {
            foreach (var (name, parameter) in model.named_parameters())
                if (name.Contains(".lora_B.", StringComparison.Ordinal)) parameter.normal_(0, 0.5, generator);
        }
        LoraAdapter.Save(model, adapterDirectory, baseDirectory);
        return Logits(model);
    }

    private static Tensor Logits(CausalLanguageModel model)
    {
        model.eval();
        using var _ = no_grad();
        return model.Forward(tensor(Ids, [1, Ids.Length])).Logits.detach().clone();
    }

    [Fact]
    public void A_saved_lora_adapter_loads_onto_the_base_and_changes_its_logits()
    {
        using var folder = new TempFolder();
        var expected = SaveRandomAdapter(models.Llama.Directory, folder.PathOf("adapter"));
        using var adapted = LoadedModel.Load(models.Llama.Directory, folder.PathOf("adapter"));
        using var plain = LoadedModel.Load(models.Llama.Directory);

        Assert.True(Logits(adapted.Model).allclose(expected, rtol: 0, atol: 1e-6));
        Assert.False(Logits(plain.Model).allclose(expected, rtol: 0, atol: 1e-3));
        Assert.Equal(folder.PathOf("adapter"), adapted.AdapterDirectory);
    }

    [Fact]
    public async Task A_prompt_tuning_adapter_loads_for_inference_but_is_not_merged()
    {
        using var folder = new TempFolder();
        Tensor expected;
        using (var model = CausalLmLoader.Load(models.Llama.Directory))
        using (var generator = new Generator(5))
        {
            var tuned = PromptTuningAdapter.Apply(model, new PromptTuningConfig { NumVirtualTokens = 3 }, generator);
            PromptTuningAdapter.Save(tuned, folder.PathOf("prompt"));
            expected = Logits(tuned);
        }
        using var loaded = LoadedModel.Load(models.Llama.Directory, folder.PathOf("prompt"));
        Assert.IsType<PromptTuningModel>(loaded.Model);
        Assert.True(Logits(loaded.Model).allclose(expected, rtol: 0, atol: 1e-6));

        var merge = new CommandRunner();
        Assert.Equal(1, await merge.RunAsync("model", "merge", "--model", models.Llama.Directory, "--adapter", folder.PathOf("prompt"), folder.PathOf("merged")));
        Assert.False(Directory.Exists(folder.PathOf("merged")));
    }

    [Fact]
    public async Task An_ia3_adapter_merges_into_a_plain_model_with_its_logits()
    {
        using var folder = new TempFolder();
        Tensor expected;
        using (var model = CausalLmLoader.Load(models.Llama.Directory))
        using (var generator = new Generator(5))
        {
            Ia3Adapter.Apply(model, new Ia3Config());
            using (no_grad())
                foreach (var (_, layer) in Ia3Adapter.Layers(model)) layer.Scaling.uniform_(0.5, 1.5, generator);
            Ia3Adapter.Save(model, folder.PathOf("ia3"));
            expected = Logits(model);
        }
        var runner = new CommandRunner();
        Assert.Equal(0, await runner.RunAsync("model", "merge", "--model", models.Llama.Directory, "--adapter", folder.PathOf("ia3"), folder.PathOf("merged")));
        Assert.Contains("merged 6 adapter layers", runner.Console.ToString());   // k_proj, v_proj, down_proj of 2 layers
        using var merged = LoadedModel.Load(folder.PathOf("merged"));
        Assert.True(Logits(merged.Model).allclose(expected, rtol: 0, atol: 1e-5));
    }

    [Fact]
    public async Task Merge_writes_a_plain_model_with_the_adapters_logits_and_the_tokenizer()
    {
        using var folder = new TempFolder();
        var expected = SaveRandomAdapter(models.Llama.Directory, folder.PathOf("adapter"));
        var runner = new CommandRunner();
        var exit = await runner.RunAsync("model", "merge", "--model", models.Llama.Directory, "--adapter", folder.PathOf("adapter"), folder.PathOf("merged"));
        Assert.Equal(0, exit);
        Assert.Contains("merged 4 adapter layers", runner.Console.ToString());   // q_proj and v_proj of 2 layers

        using var merged = LoadedModel.Load(folder.PathOf("merged"));
        Assert.Empty(LoraAdapter.Layers(merged.Model));
        Assert.True(Logits(merged.Model).allclose(expected, rtol: 0, atol: 1e-5));
        Assert.True(File.Exists(folder.PathOf("merged/tokenizer.json")));
        Assert.True(File.Exists(folder.PathOf("merged/generation_config.json")));

        Assert.Equal(1, await CommandRunner.RunQuietAsync("model", "merge", "--model", models.Llama.Directory,
            "--adapter", folder.PathOf("adapter"), folder.PathOf("merged")));   // refuses to write over it
    }

    [Fact]
    public async Task Perplexity_with_the_adapter_differs_from_the_base()
    {
        using var folder = new TempFolder();
        SaveRandomAdapter(models.Llama.Directory, folder.PathOf("adapter"));
        File.WriteAllText(folder.PathOf("eval.txt"), "Thank you for contacting customer support. Your refund is on its way.");
        double Perplexity(CommandRunner run) => JsonDocument.Parse(run.Data.ToString()).RootElement.GetProperty("perplexity").GetDouble();

        var plain = new CommandRunner();
        var adapted = new CommandRunner();
        Assert.Equal(0, await plain.RunAsync("model", "perplexity", "--model", models.Llama.Directory, "--data", folder.PathOf("eval.txt"), "--json"));
        Assert.Equal(0, await adapted.RunAsync("model", "perplexity", "--model", models.Llama.Directory, "--data", folder.PathOf("eval.txt"),
            "--adapter", folder.PathOf("adapter"), "--json"));
        Assert.NotEqual(Perplexity(plain), Perplexity(adapted), 3);
        Assert.Equal(folder.PathOf("adapter"), JsonDocument.Parse(adapted.Data.ToString()).RootElement.GetProperty("adapter").GetString());
    }

    [Fact]
    public void Nf4_base_stores_half_a_byte_per_weight_plus_scales()
    {
        using var loaded = LoadedModel.Load(models.Llama.Directory);
        var result = QuantizationAssessment.Run(loaded.Model, Nf4BaseOptions.Default(ScalarType.Float32));
        var report = result.Report;

        // Tiny Llama's linear layers (lm_head is tied, so not a Linear): per layer q 4096, k 2048, v 2048, o 4096,
        // gate/up/down 3·11,008 = 45,312 weights; 2 layers = 90,624 weights in 14 matrices, every one a multiple of 64.
        Assert.Equal(14, report.Modules);
        Assert.Equal(90_624, report.Parameters);
        Assert.Equal(90_624L * 4, report.OriginalBytes);
        // Packed codes 90,624 / 2, one 8-bit scale code per 64 weights (1,416), and per matrix one fp32 second-level
        // scale (≤ 256 blocks each) and one fp32 offset: 14 · 8.
        Assert.Equal(45_312 + 1_416 + 14 * 8, report.QuantizedBytes);
        Assert.Equal(result.ModelBytesBefore - report.OriginalBytes + report.QuantizedBytes, result.ModelBytesAfter);
        Assert.InRange(report.RelativeError, 0.01, 0.2);   // 16 levels: a few percent of the mean weight
    }

    [Fact]
    public async Task Quantize_command_reports_perplexity_before_and_after()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.PathOf("eval.txt"), "Hello, how can I help you with your order today?");
        var run = new CommandRunner();
        Assert.Equal(0, await run.RunAsync("model", "quantize", "--model", models.Llama.Directory, "--data", folder.PathOf("eval.txt"), "--json"));
        var root = JsonDocument.Parse(run.Data.ToString()).RootElement;
        var before = root.GetProperty("perplexity_before").GetDouble();
        var after = root.GetProperty("perplexity_after").GetDouble();
        Assert.NotEqual(before, after);
        Assert.InRange(after / before, 0.9, 1.1);   // near-uniform random model: quantization noise barely moves it
        Assert.InRange(root.GetProperty("quantized_bytes_per_weight").GetDouble(), 0.5, 0.52);
    }

    [Fact]
    public async Task Generate_with_nf4_base_and_adapter_runs()
    {
        using var folder = new TempFolder();
        SaveRandomAdapter(models.Llama.Directory, folder.PathOf("adapter"));
        var run = new CommandRunner();
        Assert.Equal(0, await run.RunAsync("generate", "--model", models.Llama.Directory, "--adapter", folder.PathOf("adapter"),
            "--nf4", "--prompt", "Hello", "--max-new-tokens", "5", "--json"));
        var root = JsonDocument.Parse(run.Data.ToString()).RootElement;
        Assert.InRange(root.GetProperty("token_ids").GetArrayLength(), 1, 5);   // greedy may meet eos early
    }
}
