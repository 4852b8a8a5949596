using Pipeline.Cli.Commands.Model;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Modeling.Configuration;
using Pipeline.Tokenizers;

namespace Pipeline.Cli.Tests.Model;

public sealed class ModelInitializerTests(TinyModelFolders models)
{
    [Fact]
    public void Tiny_llama_folder_has_the_hugging_face_files_and_inspects_back()
    {
        var result = models.Llama;
        Assert.Equal(["config.json", "generation_config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"], result.Files);

        var inspection = ModelInspector.Inspect(result.Directory);
        var vocab = inspection.Config.VocabSize;
        Assert.Equal(result.TokenizerVocabSize, vocab);
        Assert.Equal(512, vocab);   // the sample corpus supports the full default vocabulary
        // tiny Llama by hand: embeddings 64·V (tied: stored once); per layer q 64·64, k 64·32, v 64·32, o 64·64,
        // gate/up/down 3·64·172, two RMSNorms 2·64 = 45,440; two layers; final norm 64.
        Assert.Equal(64L * vocab + 2 * 45_440 + 64, inspection.Parameters);
        Assert.Equal(64L * vocab, inspection.EmbeddingParameters);
        Assert.Equal(new Dictionary<string, int> { ["F32"] = 2 * 9 + 2 }, inspection.CheckpointDtypes);
        Assert.Equal(inspection.Parameters * 4, inspection.WeightBytes);

        var tokenizer = inspection.Tokenizer!;
        Assert.Equal("tokenizer.json", tokenizer.Files);
        Assert.Equal("chatml", tokenizer.ChatTemplate);
        Assert.True(tokenizer.ChatTemplateConfigured);
        Assert.Equal("<|endoftext|>", tokenizer.Eos);
        Assert.Equal("<|pad|>", tokenizer.Pad);
        // generation_config.json lists eos (id 0) and ChatML's <|im_end|> (id 2), so chat replies stop.
        Assert.Equal([0, 2], tokenizer.StopTokenIds);
        Assert.Equal(0, inspection.Config.BosTokenId);
        Assert.Equal(3, inspection.Config.PadTokenId);
    }

    [Fact]
    public void Tiny_gpt2_loads_and_counts_its_position_table()
    {
        var inspection = ModelInspector.Inspect(models.Gpt2.Directory);
        var v = inspection.Config.VocabSize;
        Assert.Equal(ModelArchitecture.Gpt2, inspection.Config.Architecture);
        // wte 64·V + wpe 512·64; per block: ln_1, ln_2 (2·128), c_attn 64·192+192, c_proj 64·64+64, mlp c_fc 64·256+256,
        // c_proj 256·64+64 = 49,984; two blocks; ln_f 128.
        Assert.Equal(64L * v + 512 * 64 + 2 * 49_984 + 128, inspection.Parameters);
        using var model = CausalLmLoader.Load(models.Gpt2.Directory);
        Assert.Equal(inspection.Parameters, model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Same_seed_gives_identical_weights_and_another_seed_does_not()
    {
        using var folder = new TempFolder();
        var a = ModelInitializer.Create(folder.PathOf("a"), new ModelInitOptions { Seed = 1 });
        var b = ModelInitializer.Create(folder.PathOf("b"), new ModelInitOptions { Seed = 2 });
        var weights = File.ReadAllBytes(Path.Combine(models.Llama.Directory, "model.safetensors"));
        Assert.Equal(weights, File.ReadAllBytes(Path.Combine(a.Directory, "model.safetensors")));
        Assert.NotEqual(weights, File.ReadAllBytes(Path.Combine(b.Directory, "model.safetensors")));
    }

    [Fact]
    public void Corpus_and_vocab_size_options_shape_the_tokenizer()
    {
        using var folder = new TempFolder();
        var corpus = folder.PathOf("corpus.txt");
        File.WriteAllText(corpus, string.Join("\n\n", Enumerable.Repeat("the quick brown fox jumps over the lazy dog", 20)));
        var result = ModelInitializer.Create(folder.PathOf("m"), new ModelInitOptions { CorpusPath = corpus, VocabSize = 300 });
        var tokenizer = TokenizerLoader.Load(result.Directory);
        // 4 specials + 256 bytes + at most 40 merges; a nine-word sentence repeated has fewer than 40 pairs to merge.
        Assert.InRange(tokenizer.VocabSize, 261, 299);
        Assert.Equal(tokenizer.VocabSize, result.Config.VocabSize);
        Assert.Single(tokenizer.Encode(" quick"));   // a whole word of the corpus became one token
    }

    [Fact]
    public void Bfloat16_init_writes_bf16_tensors_and_records_the_dtype()
    {
        using var folder = new TempFolder();
        var result = ModelInitializer.Create(folder.PathOf("m"), new ModelInitOptions { Dtype = TorchSharp.torch.ScalarType.BFloat16 });
        var inspection = ModelInspector.Inspect(result.Directory);
        Assert.Equal("bfloat16", inspection.Config.TorchDtype);
        Assert.Equal(["BF16"], inspection.CheckpointDtypes.Keys);
        Assert.Equal(inspection.Parameters * 2, inspection.WeightBytes);
    }

    [Fact]
    public void A_folder_with_files_is_refused_unless_overwrite()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.PathOf("keep.txt"), "x");
        var error = Assert.Throws<ArgumentException>(() => ModelInitializer.Create(folder.Path, new ModelInitOptions()));
        Assert.Contains("already has files", error.Message);
        Assert.Contains("--force", error.Message);
        ModelInitializer.Create(folder.Path, new ModelInitOptions { Overwrite = true });
        Assert.True(File.Exists(folder.PathOf("model.safetensors")));
    }

    [Fact]
    public void Too_small_a_vocabulary_is_refused_before_anything_is_written()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<ArgumentException>(() => ModelInitializer.Create(folder.PathOf("m"), new ModelInitOptions { VocabSize = 100 }));
        Assert.Contains("4 special tokens + 256 bytes = 260", error.Message);
        Assert.False(Directory.Exists(folder.PathOf("m")));
    }

    [Fact]
    public void Unknown_preset_names_the_supported_ones()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<ModelConfigException>(() => ModelInitializer.Create(folder.PathOf("m"), new ModelInitOptions { Preset = "huge" }));
        Assert.Contains("tiny, small", error.Message);
    }
}
