using Pipeline.Configuration;
using Pipeline.Configuration.Ingest;
using Pipeline.Configuration.Json;

namespace Pipeline.Configuration.Tests;

/// <summary>parallel_shard_bytes: when ingestion splits its input across replicas.</summary>
public sealed class IngestShardingSettingsTests
{
    [Fact]
    public void Parallel_shards_default_to_64_mebibytes_of_input()
    {
        var ingest = RunConfigLoader.Parse("stages: { ingest: { inputs: [{ path: a.jsonl }] } }", "ingest.yaml").Stages.Ingest!;

        Assert.Equal(64L * 1024 * 1024, ingest.ParallelShardBytes);
    }

    [Fact]
    public void A_large_shard_size_in_bytes_is_read_as_a_64_bit_number()
    {
        var ingest = RunConfigLoader.Parse("stages: { ingest: { inputs: [{ path: a.jsonl }], parallel_shard_bytes: 8_589_934_592 } }", "ingest.yaml").Stages.Ingest!;

        Assert.Equal(8L * 1024 * 1024 * 1024, ingest.ParallelShardBytes);
    }

    [Fact]
    public void A_shard_below_one_kibibyte_is_refused_with_the_allowed_range()
    {
        var error = ConfigAssert.Error("""
            stages:
              ingest:
                inputs: [{ path: data/a.jsonl }]
                parallel_shard_bytes: 100
            """);

        Assert.Equal("quickstart.yaml:4:27: stages.ingest.parallel_shard_bytes: 100 is out of range; allowed: [1024, 1099511627776]", error);
    }

    [Fact]
    public void The_shard_size_travels_to_the_stage_in_its_settings_json()
    {
        var settings = new IngestSettings { Inputs = [new IngestInput { Path = "a.jsonl" }], ParallelShardBytes = 4096 };

        var json = StageSettingsJson.Serialize(settings);

        Assert.Contains("\"parallel_shard_bytes\":4096", json);
        Assert.Equal(4096, StageSettingsJson.Deserialize<IngestSettings>(json).ParallelShardBytes);
    }
}
