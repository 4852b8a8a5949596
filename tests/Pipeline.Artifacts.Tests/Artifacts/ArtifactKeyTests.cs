namespace Pipeline.Artifacts.Tests.Artifacts;

public sealed class ArtifactKeyTests
{
    [Theory]
    [InlineData("runs/3f2a9c4e1b7d4e8a9f000123456789ab/ingest/dataset")]
    [InlineData("a")]
    [InlineData("imports/hf/Qwen2.5-0.5B@main")]
    [InlineData("datasets/naïve-ünïcode/v1")]
    [InlineData("a/b c/d")]
    public void Valid_ids_are_returned_unchanged(string id) => Assert.Equal(id, ArtifactKey.ValidateId(id));

    [Theory]
    [InlineData("a/../b", "segment 2 is '..'")]
    [InlineData("..", "segment 1 is '..'")]
    [InlineData("/etc/passwd", "starts with '/'")]
    [InlineData("a/", "ends with '/'")]
    [InlineData("a\\b", "backslash at position 1")]
    [InlineData("a\nb", "control character U+000A at position 1")]
    [InlineData("a\u007Fb", "control character U+007F")]
    [InlineData("a//b", "segment 2 is empty")]
    [InlineData("C:/windows", "character ':' at position 1")]
    [InlineData("a/ b", "segment 2 starts or ends with a space")]
    [InlineData("", "it is empty")]
    public void Invalid_ids_name_the_key_and_the_rule(string id, string problem)
    {
        var error = Assert.Throws<InvalidArtifactKeyException>(() => ArtifactKey.ValidateId(id));
        Assert.Equal(id, error.Key);
        Assert.Contains(problem, error.Problem);
        Assert.StartsWith("The artifact id '", error.Message);
        Assert.Contains(ArtifactKey.AllowedDescription, error.Message);
    }

    [Fact]
    public void Control_characters_are_shown_escaped_in_the_message()
    {
        var error = Assert.Throws<InvalidArtifactKeyException>(() => ArtifactKey.ValidateId("a\u0000b"));
        Assert.Contains("'a\\u0000b'", error.Message);
    }

    [Fact]
    public void Lengths_are_limited()
    {
        Assert.Equal(400, ArtifactKey.ValidateId(new string('x', 199) + "/" + new string('y', 200)).Length);
        var tooLong = Assert.Throws<InvalidArtifactKeyException>(() => ArtifactKey.ValidateId(new string('x', 100) + "/" + new string('y', 300)));
        Assert.Contains("401 characters long; the limit is 400", tooLong.Problem);
        var longSegment = Assert.Throws<InvalidArtifactKeyException>(() => ArtifactKey.ValidateId(new string('x', 201)));
        Assert.Contains("segment 1 is 201 characters long; the limit is 200", longSegment.Problem);
    }

    [Fact]
    public void Manifest_file_name_is_reserved_at_any_depth()
    {
        Assert.Contains("reserved", Assert.Throws<InvalidArtifactKeyException>(() => ArtifactKey.ValidateRelativePath("manifest.json")).Message);
        Assert.Contains("reserved", Assert.Throws<InvalidArtifactKeyException>(() => ArtifactKey.ValidateRelativePath("sub/manifest.json")).Message);
        Assert.Equal("sub/manifest.json.bak", ArtifactKey.ValidateRelativePath("sub/manifest.json.bak"));
    }

    [Fact]
    public void Relative_path_errors_name_the_artifact()
    {
        var error = Assert.Throws<InvalidArtifactKeyException>(() => ArtifactKey.ValidateRelativePath("../x", "runs/r1/sft/model"));
        Assert.StartsWith("The relative path '../x' in artifact 'runs/r1/sft/model' is not valid: segment 1 is '..'", error.Message);
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("runs/", "runs/")]
    [InlineData("runs/3f", "runs/3f")]
    public void Prefixes_may_end_with_a_slash_or_mid_segment(string? prefix, string expected) =>
        Assert.Equal(expected, ArtifactKey.ValidatePrefix(prefix));

    [Theory]
    [InlineData("runs/../")]
    [InlineData("/runs")]
    [InlineData("runs//")]
    public void Bad_prefixes_are_refused(string prefix) =>
        Assert.Throws<InvalidArtifactKeyException>(() => ArtifactKey.ValidatePrefix(prefix));
}
