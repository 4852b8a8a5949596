using System.Text;
using Pipeline.Contracts;

namespace Pipeline.Artifacts.Tests.Artifacts;

public sealed class ManifestJsonTests
{
    private static readonly ArtifactManifest Manifest = new()
    {
        Id = "runs/r1/sft/adapter",
        Kind = ArtifactKind.Adapter,
        ProducerStage = "sft",
        RunId = Guid.Parse("00000000-0000-0000-0000-000000000001"),
        ConfigHash = "abc123",
        Parents = ["runs/r1/ingest/dataset", "imports/base"],
        CreatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        Files = [new ArtifactFileEntry("adapter_config.json", 10, new string('a', 64))],
    };

    [Fact]
    public void Serialized_manifest_uses_snake_case_and_lowercase_kind()
    {
        var json = Encoding.UTF8.GetString(ManifestJson.Serialize(Manifest));
        const string expected = """
            {
              "id": "runs/r1/sft/adapter",
              "kind": "adapter",
              "producer_stage": "sft",
              "run_id": "00000000-0000-0000-0000-000000000001",
              "config_hash": "abc123",
              "parents": [
                "runs/r1/ingest/dataset",
                "imports/base"
              ],
              "created_at": "2026-01-02T03:04:05.0000000+00:00",
              "files": [
                {
                  "path": "adapter_config.json",
                  "size": 10,
                  "sha256": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                }
              ]
            }
            """;
        Assert.Equal(expected.ReplaceLineEndings("\n"), json.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Round_trip_takes_the_id_from_the_location()
    {
        var parsed = ManifestJson.Deserialize("copied/elsewhere", ManifestJson.Serialize(Manifest));
        Assert.Equal("copied/elsewhere", parsed.Id);
        Assert.Equal(Manifest.Kind, parsed.Kind);
        Assert.Equal(Manifest.RunId, parsed.RunId);
        Assert.Equal(Manifest.Parents, parsed.Parents);
        Assert.Equal(Manifest.CreatedAt, parsed.CreatedAt);
        Assert.Equal(Manifest.Files, parsed.Files);
    }

    [Theory]
    [InlineData("{\"kind\":\"dataset\"", "is not valid JSON")]
    [InlineData("{\"kind\":\"tensor\",\"producer_stage\":\"x\",\"config_hash\":\"\",\"parents\":[],\"created_at\":\"2026-01-01T00:00:00Z\",\"files\":[]}", "has kind 'tensor'")]
    [InlineData("{\"kind\":\"1\",\"producer_stage\":\"x\",\"config_hash\":\"\",\"parents\":[],\"created_at\":\"2026-01-01T00:00:00Z\",\"files\":[]}", "has kind '1'")]
    [InlineData("{\"kind\":\"model\",\"config_hash\":\"\",\"parents\":[],\"created_at\":\"2026-01-01T00:00:00Z\",\"files\":[]}", "has no producer_stage")]
    [InlineData("{\"kind\":\"model\",\"producer_stage\":\"x\",\"config_hash\":\"\",\"parents\":[],\"created_at\":\"2026-01-01T00:00:00Z\"}", "has no files list")]
    [InlineData("{\"kind\":\"model\",\"producer_stage\":\"x\",\"config_hash\":\"\",\"parents\":[],\"created_at\":\"2026-01-01T00:00:00Z\",\"files\":[{\"path\":\"../x\",\"size\":1,\"sha256\":\"aa\"}]}", "invalid path '../x' in files[0]")]
    [InlineData("{\"kind\":\"model\",\"producer_stage\":\"x\",\"config_hash\":\"\",\"parents\":[],\"created_at\":\"2026-01-01T00:00:00Z\",\"files\":[{\"path\":\"x\",\"sha256\":\"aa\"}]}", "missing or negative size for 'x'")]
    [InlineData("{\"kind\":\"model\",\"producer_stage\":\"x\",\"config_hash\":\"\",\"parents\":[],\"created_at\":\"2026-01-01T00:00:00Z\",\"files\":[{\"path\":\"x\",\"size\":1,\"sha256\":\"AB\"}]}", "has sha256 'AB' for 'x'")]
    [InlineData("{\"kind\":\"model\",\"producer_stage\":\"x\",\"config_hash\":\"\",\"parents\":[],\"created_at\":\"yesterday\",\"files\":[]}", "created_at 'yesterday'")]
    public void Malformed_manifests_are_reported_as_corruption_of_manifest_json(string json, string problem)
    {
        var error = Assert.Throws<ArtifactCorruptException>(() => ManifestJson.Deserialize("runs/r1/x", Encoding.UTF8.GetBytes(json)));
        Assert.Equal("manifest.json", error.RelativePath);
        Assert.Contains(problem, error.Message);
        Assert.Contains("'runs/r1/x'", error.Message);
    }
}
