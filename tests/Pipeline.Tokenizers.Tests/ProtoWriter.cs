using System.Text;

namespace Pipeline.Tokenizers.Tests;

/// <summary>Hand protobuf encoding (varint, 32-bit and length-delimited fields) for SentencePiece ModelProto fixtures.</summary>
public static class ProtoWriter
{
    public static byte[] Message(params byte[][] fields) => fields.SelectMany(f => f).ToArray();

    public static byte[] Varint(int field, long value) => [.. Tag(field, 0), .. VarintBytes(unchecked((ulong)value))];

    public static byte[] Bool(int field, bool value) => Varint(field, value ? 1 : 0);

    public static byte[] Float(int field, float value) => [.. Tag(field, 5), .. BitConverter.GetBytes(value)];

    public static byte[] String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public static byte[] Bytes(int field, byte[] value) => [.. Tag(field, 2), .. VarintBytes((ulong)value.Length), .. value];

    private static byte[] Tag(int field, int wireType) => VarintBytes((ulong)((field << 3) | wireType));

    private static byte[] VarintBytes(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value != 0 ? (byte)(b | 0x80) : b);
        }
        while (value != 0);
        return bytes.ToArray();
    }
}

/// <summary>
/// A SentencePiece ModelProto built field by field (sentencepiece_model.proto): pieces (1) with piece (1),
/// score (2), type (3: NORMAL=1, UNKNOWN=2, CONTROL=3); trainer_spec (2) with model_type (3: UNIGRAM=1, BPE=2),
/// vocab_size (4), unk/bos/eos/pad ids (40–43); normalizer_spec (3) with name (1), add_dummy_prefix (3),
/// remove_extra_whitespaces (4), escape_whitespaces (5).
/// </summary>
public static class SentencePieceModelFixture
{
    public static readonly (string Piece, float Score, int Type)[] HelloPieces =
    [
        ("<unk>", 0, 2), ("<s>", 0, 3), ("</s>", 0, 3), ("▁", -1, 1),
        ("h", -10, 1), ("e", -11, 1), ("l", -12, 1), ("o", -13, 1),
        ("he", -1, 1), ("ll", -2, 1), ("hell", -3, 1), ("hello", -4, 1), ("▁hello", -5, 1),
    ];

    public static byte[] Build((string Piece, float Score, int Type)[] pieces, int modelType)
    {
        var pieceMessages = pieces.Select(p => ProtoWriter.Bytes(1, ProtoWriter.Message(
            ProtoWriter.String(1, p.Piece), ProtoWriter.Float(2, p.Score), ProtoWriter.Varint(3, p.Type))));
        var trainerSpec = ProtoWriter.Message(
            ProtoWriter.Varint(3, modelType),
            ProtoWriter.Varint(4, pieces.Length),
            ProtoWriter.Varint(40, 0),
            ProtoWriter.Varint(41, 1),
            ProtoWriter.Varint(42, 2),
            ProtoWriter.Varint(43, -1));
        var normalizerSpec = ProtoWriter.Message(
            ProtoWriter.String(1, "identity"),
            ProtoWriter.Bool(3, true),
            ProtoWriter.Bool(4, false),
            ProtoWriter.Bool(5, true));
        return ProtoWriter.Message([.. pieceMessages, ProtoWriter.Bytes(2, trainerSpec), ProtoWriter.Bytes(3, normalizerSpec)]);
    }
}
