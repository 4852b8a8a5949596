using Pipeline.Data.Cards;
using Pipeline.Data.Ingestion;
using Pipeline.Data.Readers;

namespace Pipeline.Data.Tests.Ingestion;

public sealed class CheckpointSerializerTests
{
    private static IngestionCheckpoint Sample() => new()
    {
        OptionsFingerprint = "abc123",
        InputIndex = 1,
        Position = new ReadPosition(17, 2048, 19),
        TrainShards = 3,
        ValidationShards = 1,
        Card = new DataCard { RowsRead = 40, TrainRows = 30 },
        SeenHashes = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray(),
        FilterStates = new Dictionary<string, byte[]> { ["near_dup"] = [1, 2, 3] },
    };

    [Fact]
    public void A_checkpoint_round_trips_through_bytes()
    {
        var back = IngestionCheckpointSerializer.FromBytes(IngestionCheckpointSerializer.ToBytes(Sample()));

        Assert.Equal(("abc123", 1, new ReadPosition(17, 2048, 19), 3, 1), (back.OptionsFingerprint, back.InputIndex, back.Position, back.TrainShards, back.ValidationShards));
        Assert.Equal((40L, 30L), (back.Card.RowsRead, back.Card.TrainRows));
        Assert.Equal(Sample().SeenHashes, back.SeenHashes);
        Assert.Equal([1, 2, 3], back.FilterStates["near_dup"]);
    }

    [Fact]
    public void A_truncated_or_foreign_file_is_refused_with_a_reason()
    {
        byte[] bytes = IngestionCheckpointSerializer.ToBytes(Sample());

        var truncated = Assert.Throws<InvalidDataException>(() => IngestionCheckpointSerializer.FromBytes(bytes[..^10]));
        var foreign = Assert.Throws<InvalidDataException>(() => IngestionCheckpointSerializer.FromBytes("{\"json\": \"not a checkpoint\"}"u8.ToArray()));

        Assert.Equal("The ingestion checkpoint is truncated (its hash set is incomplete).", truncated.Message);
        Assert.Equal("Not an ingestion checkpoint: the file does not start with 'PDCK'.", foreign.Message);
    }
}
