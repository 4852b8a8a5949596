using Pipeline.Quickstart.Data;

namespace Pipeline.Quickstart.Tests;

/// <summary>
/// examples/quickstart/data is what <see cref="QuickstartDataWriter"/> makes with the default options, byte for byte,
/// so the shipped data never drifts from the code. After changing a generator, regenerate it with
/// examples/quickstart/regenerate-data.sh (which sets QUICKSTART_REGENERATE_DATA=1 for this test) and commit the result.
/// </summary>
public sealed class CommittedDataTests : IDisposable
{
    public const string RegenerateVariable = "QUICKSTART_REGENERATE_DATA";

    /// <summary>What the repository may hold; more would make the clone heavy for a first impression.</summary>
    private const long MaxCommittedBytes = 3_000_000;

    private readonly TempFolder fresh = new();

    public void Dispose() => fresh.Dispose();

    [Fact]
    public void Committed_data_equals_what_the_writer_makes_with_the_default_options()
    {
        var committed = Path.Combine(RepositoryRoot(), "examples", "quickstart", "data");
        if (Environment.GetEnvironmentVariable(RegenerateVariable) == "1")
            QuickstartDataWriter.Write(committed);

        QuickstartDataWriter.Write(fresh.Path);
        foreach (var file in QuickstartDataFiles.All)
        {
            var path = Path.Combine(committed, file);
            Assert.True(File.Exists(path), $"{path} is missing. Run examples/quickstart/regenerate-data.sh.");
            var expected = File.ReadAllText(fresh.PathOf(file)).Split('\n');
            var actual = File.ReadAllText(path).Split('\n');
            var firstDifference = Enumerable.Range(0, Math.Max(expected.Length, actual.Length))
                .FirstOrDefault(i => i >= expected.Length || i >= actual.Length || expected[i] != actual[i], -1);
            Assert.True(firstDifference < 0,
                $"{path} differs from what QuickstartDataWriter makes, first at line {firstDifference + 1}. " +
                "If the generators changed on purpose, run examples/quickstart/regenerate-data.sh and commit the data.");
            Assert.Equal(File.ReadAllBytes(fresh.PathOf(file)), File.ReadAllBytes(path));
        }
        var total = QuickstartDataFiles.All.Sum(f => new FileInfo(Path.Combine(committed, f)).Length);
        Assert.True(total <= MaxCommittedBytes, $"the committed data is {total} bytes; keep it under {MaxCommittedBytes}.");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")) && Directory.Exists(Path.Combine(dir.FullName, "examples")))
                return dir.FullName;
        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds both Pipeline.sln and examples/; run the tests from the repository's build output.");
    }
}
