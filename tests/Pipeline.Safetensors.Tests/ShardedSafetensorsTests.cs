using System.Text;

namespace Pipeline.Safetensors.Tests;

public sealed class ShardedSafetensorsTests : IDisposable
{
    private readonly TempFolder directory = new();

    public void Dispose() => directory.Dispose();

    /// <summary>Six F32 tensors of 24 floats (96 bytes) each, in "layer" order.</summary>
    private static List<(string Name, byte[] Bytes)> SixTensors() =>
        Enumerable.Range(0, 6)
            .Select(i => ($"model.layers.{i}.weight", RawSafetensors.Pattern(96, seed: i)))
            .ToList();

    private static IEnumerable<TensorPayload> Payloads(IEnumerable<(string Name, byte[] Bytes)> tensors) =>
        tensors.Select(t => TensorPayload.FromBytes(t.Name, SafetensorsDType.F32, [4, 6], t.Bytes));

    [Fact]
    public void Splits_into_three_shards_with_an_index_and_reads_back_by_name()
    {
        var tensors = SixTensors();
        // 250 bytes fit two 96-byte tensors (192) but not three (288): 2 + 2 + 2.
        var result = ShardedSafetensorsWriter.Write(directory.Path, Payloads(tensors),
            new ShardedWriteOptions { MaxShardSizeBytes = 250 });

        Assert.Equal(
        [
            "model-00001-of-00003.safetensors",
            "model-00002-of-00003.safetensors",
            "model-00003-of-00003.safetensors",
            "model.safetensors.index.json",
        ], directory.FileNames());
        Assert.Equal(576, result.TotalSize);
        Assert.Equal(directory.PathOf("model.safetensors.index.json"), result.IndexPath);

        var expectedIndex = """
            {
              "metadata": {
                "total_size": 576
              },
              "weight_map": {
                "model.layers.0.weight": "model-00001-of-00003.safetensors",
                "model.layers.1.weight": "model-00001-of-00003.safetensors",
                "model.layers.2.weight": "model-00002-of-00003.safetensors",
                "model.layers.3.weight": "model-00002-of-00003.safetensors",
                "model.layers.4.weight": "model-00003-of-00003.safetensors",
                "model.layers.5.weight": "model-00003-of-00003.safetensors"
              }
            }

            """;
        Assert.Equal(expectedIndex, File.ReadAllText(result.IndexPath!));

        using var checkpoint = ShardedSafetensors.Open(directory.Path);
        Assert.Equal(3, checkpoint.Shards.Count);
        Assert.Equal(576, checkpoint.TotalSize);
        Assert.Equal(6, checkpoint.Tensors.Count);
        foreach (var (name, bytes) in tensors)
        {
            Assert.Equal(bytes, checkpoint.GetBytes(name).ToArray());
            Assert.Equal([4L, 6L], checkpoint.GetInfo(name).Shape);
        }
        Assert.EndsWith("model-00002-of-00003.safetensors", checkpoint.ShardOf("model.layers.3.weight").Path);
        Assert.Equal("pt", checkpoint.Shards[0].Metadata["format"]);
        var copy = new byte[96];
        checkpoint.CopyTo("model.layers.5.weight", copy);
        Assert.Equal(tensors[5].Bytes, copy);
        Assert.Throws<KeyNotFoundException>(() => checkpoint.GetInfo("lm_head.weight"));
    }

    [Fact]
    public void A_tensor_larger_than_the_limit_gets_a_shard_of_its_own()
    {
        var small = TensorPayload.FromBytes("a", SafetensorsDType.U8, [40], new byte[40]);
        var huge = TensorPayload.FromBytes("b", SafetensorsDType.U8, [500], new byte[500]);
        var small2 = TensorPayload.FromBytes("c", SafetensorsDType.U8, [40], new byte[40]);
        var small3 = TensorPayload.FromBytes("d", SafetensorsDType.U8, [40], new byte[40]);

        var plan = ShardedSafetensorsWriter.PlanShards([small, huge, small2, small3], 100);

        // huggingface_hub: the oversized tensor is appended alone; the open shard keeps filling.
        Assert.Equal([["b"], ["a", "c"], ["d"]], plan.Select(s => s.Select(t => t.Name).ToArray()).ToArray());
    }

    [Fact]
    public void Everything_in_one_shard_is_written_as_model_safetensors_and_stale_shards_are_removed()
    {
        ShardedSafetensorsWriter.Write(directory.Path, Payloads(SixTensors()), new ShardedWriteOptions { MaxShardSizeBytes = 250 });

        var result = ShardedSafetensorsWriter.Write(directory.Path, Payloads(SixTensors().Take(2)));

        Assert.Null(result.IndexPath);
        Assert.Equal(["model.safetensors"], directory.FileNames());
        using var checkpoint = ShardedSafetensors.Open(directory.Path);
        Assert.Null(checkpoint.IndexPath);
        Assert.Equal(["model.layers.0.weight", "model.layers.1.weight"], checkpoint.Tensors.Select(t => t.Name));
    }

    [Fact]
    public void A_directory_without_a_checkpoint_says_what_it_looked_for()
    {
        var error = Assert.Throws<FileNotFoundException>(() => ShardedSafetensors.Open(directory.Path));
        Assert.Contains("model.safetensors", error.Message);
        Assert.Contains("model.safetensors.index.json", error.Message);
    }

    private void WriteShard(string fileName, params string[] tensorNames) =>
        SafetensorsWriter.Write(directory.PathOf(fileName),
            tensorNames.Select(n => TensorPayload.FromBytes(n, SafetensorsDType.U8, [1], new byte[] { 1 })));

    private SafetensorsFormatException IndexFails(string indexJson, string expectedProblem, string? expectedTensor = null)
    {
        File.WriteAllText(directory.PathOf("model.safetensors.index.json"), indexJson, Encoding.UTF8);
        var error = Assert.Throws<SafetensorsFormatException>(() => ShardedSafetensors.Open(directory.Path).Dispose());
        Assert.Contains("model.safetensors.index.json", error.Message);
        Assert.Contains(expectedProblem, error.Problem);
        Assert.Equal(expectedTensor, error.TensorName);
        return error;
    }

    [Fact]
    public void Index_naming_a_missing_shard() =>
        IndexFails("""{"weight_map": {"a": "model-00001-of-00002.safetensors"}}""",
            "refers to shard 'model-00001-of-00002.safetensors', which does not exist");

    [Fact]
    public void Index_listing_a_tensor_its_shard_lacks()
    {
        WriteShard("s1.safetensors", "a");
        IndexFails("""{"weight_map": {"a": "s1.safetensors", "b": "s1.safetensors"}}""", "that shard has no such tensor", "b");
    }

    [Fact]
    public void Tensor_present_in_two_shards()
    {
        WriteShard("s1.safetensors", "a", "b");
        WriteShard("s2.safetensors", "b");
        IndexFails("""{"weight_map": {"a": "s1.safetensors", "b": "s2.safetensors"}}""",
            "in two shards, 's1.safetensors' and 's2.safetensors'", "b");
    }

    [Fact]
    public void Shard_holding_a_tensor_the_index_omits()
    {
        WriteShard("s1.safetensors", "a", "extra");
        IndexFails("""{"weight_map": {"a": "s1.safetensors"}}""", "does not list it", "extra");
    }

    [Fact]
    public void Index_pointing_a_tensor_at_the_wrong_shard()
    {
        WriteShard("s1.safetensors", "a");
        WriteShard("s2.safetensors", "b");
        IndexFails("""{"weight_map": {"a": "s2.safetensors", "b": "s1.safetensors"}}""", "puts the tensor in 's2.safetensors'", "a");
    }

    [Theory]
    [InlineData("""{"weight_map": {"a": "../outside.safetensors"}}""", "not a plain file name", "a")]
    [InlineData("""{"weight_map": {"a": "/etc/passwd"}}""", "not a plain file name", "a")]
    [InlineData("""{"weight_map": {"a": "s.safetensors", "a": "s.safetensors"}}""", "appears twice", "a")]
    [InlineData("""{"weight_map": {"a": 1}}""", "must be a shard file name", "a")]
    [InlineData("""{"weight_map": ["a"]}""", "must be an object", null)]
    [InlineData("""{"metadata": {"total_size": 4}}""", "no \"weight_map\"", null)]
    [InlineData("""{"weight_map": {"a": "s.safetensors"}""", "not valid JSON", null)]
    [InlineData("""["weight_map"]""", "must be a JSON object", null)]
    public void Malformed_indexes(string indexJson, string expectedProblem, string? expectedTensor) =>
        IndexFails(indexJson, expectedProblem, expectedTensor);

    [Fact]
    public void A_malformed_shard_names_the_shard()
    {
        File.WriteAllBytes(directory.PathOf("s1.safetensors"), new byte[3]);
        File.WriteAllText(directory.PathOf("model.safetensors.index.json"), """{"weight_map": {"a": "s1.safetensors"}}""");
        var error = Assert.Throws<SafetensorsFormatException>(() => ShardedSafetensors.Open(directory.Path));
        Assert.EndsWith("s1.safetensors", error.FilePath);
    }
}
