using Pipeline.Data;
using Pipeline.Training.Datasets;
using Pipeline.Training.Tests.Support;

namespace Pipeline.Training.Tests.Datasets;

public sealed class DatasetShardsTests
{
    [Fact]
    public void Reads_each_split_across_its_shards_in_order()
    {
        using var folder = new TempFolder();
        File.WriteAllLines(Path.Combine(folder.Path, "train-00001.jsonl"), [ExampleJson.ToJsonLine(TrainingTexts.Greeting("Ben"))]);
        File.WriteAllLines(Path.Combine(folder.Path, "train-00000.jsonl"), [ExampleJson.ToJsonLine(TrainingTexts.Greeting("Anna")), ""]);
        File.WriteAllLines(Path.Combine(folder.Path, "validation-00000.jsonl"), [ExampleJson.ToJsonLine(TrainingTexts.Preference("Jo"))]);

        var train = DatasetShards.ReadSplit(folder.Path, DatasetShards.Train);
        var validation = DatasetShards.ReadSplit(folder.Path, DatasetShards.Validation);

        Assert.Equal(["greet-Anna", "greet-Ben"], train.Select(e => e.Id));
        Assert.Equal("Hello, Anna! How can I help?", train[0].Messages[1].Content);
        Assert.True(validation.Single().IsPreferencePair);
        Assert.Empty(DatasetShards.ReadSplit(folder.Path, "test"));
    }

    [Fact]
    public void A_bad_line_is_reported_with_its_file_and_line()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "train-00000.jsonl");
        File.WriteAllLines(path, [ExampleJson.ToJsonLine(TrainingTexts.Greeting("Anna")), "{\"id\":\"x\"}"]);
        var error = Assert.Throws<FormatException>(() => DatasetShards.ReadSplit(folder.Path, DatasetShards.Train));
        Assert.Contains($"{path}:2", error.Message);
        Assert.Contains("'messages'", error.Message);
    }
}
