using System.Buffers.Binary;
using System.Text;
using Pipeline.Data.Cards;

namespace Pipeline.Data.Ingestion.ShardMerge;

/// <summary>
/// The files of a cleaned shard. <c>examples.jsonl</c>: the examples that passed the shard's filters, in input
/// order, as shard lines. <c>rows.bin</c>: per example its <see cref="ShardRow"/> without the text (magic "PDSR",
/// version, signature lengths; then per row a 1 byte, line, hash, split key, lengths, JSON byte count, id, signatures; then a 0
/// byte and the row count; little-endian except the big-endian hashes). <c>card.json</c>: the shard's own data card
/// (rows read, bad rows and drops with their first citations, counters).
/// </summary>
public static class CleanedShardFiles
{
    public const string Examples = "examples.jsonl";
    public const string Rows = "rows.bin";
    public const string Card = "card.json";

    public static readonly IReadOnlyList<string> All = [Card, Examples, Rows];

    internal static ReadOnlySpan<byte> Magic => "PDSR"u8;
    internal const int Version = 2;
    internal const byte RowMarker = 1;
    internal const byte EndMarker = 0;
}

/// <summary>Writes a cleaned shard's three files into a local folder, row by row.</summary>
public sealed class CleanedShardWriter : IDisposable
{
    private readonly string _directory;
    private readonly FileStream _examples;
    private readonly BinaryWriter _rows;
    private readonly IReadOnlyList<int> _signatureLengths;

    public CleanedShardWriter(string directory, IReadOnlyList<int> signatureLengths)
    {
        Directory.CreateDirectory(directory);
        _directory = directory;
        _signatureLengths = signatureLengths;
        _examples = new FileStream(Path.Combine(directory, CleanedShardFiles.Examples), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        _rows = new BinaryWriter(new FileStream(Path.Combine(directory, CleanedShardFiles.Rows), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16), Encoding.UTF8);
        _rows.Write(CleanedShardFiles.Magic);
        _rows.Write(CleanedShardFiles.Version);
        _rows.Write(signatureLengths.Count);
        foreach (var length in signatureLengths) _rows.Write(length);
    }

    public long Count { get; private set; }

    public void Add(ShardRow row)
    {
        if (row.Signatures.Count != _signatureLengths.Count || row.Signatures.Where((s, i) => s.Length != _signatureLengths[i]).Any())
            throw new ArgumentException($"Row '{row.Id}' has signatures of lengths [{string.Join(", ", row.Signatures.Select(s => s.Length))}]; this shard holds [{string.Join(", ", _signatureLengths)}].");
        _examples.Write(row.Json.Span);
        _rows.Write(CleanedShardFiles.RowMarker);
        _rows.Write(row.Line);
        Span<byte> hash = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(hash, row.Hash);
        _rows.Write(hash);
        BinaryPrimitives.WriteUInt128BigEndian(hash, row.SplitKey);
        _rows.Write(hash);
        _rows.Write(row.Characters);
        _rows.Write(row.Tokens);
        _rows.Write(row.Json.Length);
        _rows.Write(row.Id);
        foreach (var signature in row.Signatures)
            foreach (var value in signature) _rows.Write(value);
        Count++;
    }

    /// <summary>Ends the rows file and writes the shard's card; the folder then holds a complete cleaned shard.</summary>
    public void Finish(DataCard card)
    {
        _rows.Write(CleanedShardFiles.EndMarker);
        _rows.Write(Count);
        _rows.Flush();
        _examples.Flush();
        File.WriteAllText(Path.Combine(_directory, CleanedShardFiles.Card), card.ToJson() + "\n");
    }

    public void Dispose()
    {
        _rows.Dispose();
        _examples.Dispose();
    }
}

/// <summary>
/// Reads a cleaned shard's rows and their shard lines in step. Both streams are read to their end, so a store's
/// verifying streams check their hashes; a row count or byte count that does not add up is an error naming the shard.
/// </summary>
public sealed class CleanedShardReader : IAsyncDisposable
{
    private readonly Stream _examples;
    private readonly BinaryReader _rows;
    private readonly string _name;
    private readonly int[] _signatureLengths;
    private byte[] _json = new byte[4096];
    private long _read;

    private CleanedShardReader(Stream rows, Stream examples, string name)
    {
        _name = name;
        _examples = examples;
        _rows = new BinaryReader(new BufferedStream(rows, 1 << 16), Encoding.UTF8);
        try
        {
            Span<byte> magic = stackalloc byte[4];
            _rows.BaseStream.ReadExactly(magic);
            if (!magic.SequenceEqual(CleanedShardFiles.Magic) || _rows.ReadInt32() != CleanedShardFiles.Version)
                throw new InvalidDataException($"{name}/{CleanedShardFiles.Rows} is not a cleaned shard's rows file (format PDSR version {CleanedShardFiles.Version}).");
            _signatureLengths = new int[_rows.ReadInt32()];
            for (int i = 0; i < _signatureLengths.Length; i++) _signatureLengths[i] = _rows.ReadInt32();
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{name}/{CleanedShardFiles.Rows} is truncated in its header.");
        }
    }

    /// <param name="name">How errors name the shard (its artifact id, say).</param>
    public static CleanedShardReader Open(Stream rows, Stream examples, string name) => new(rows, examples, name);

    public IReadOnlyList<int> SignatureLengths => _signatureLengths;

    /// <summary>The next row, or null after the last; its <see cref="ShardRow.Json"/> is valid until the next call.</summary>
    public async ValueTask<ShardRow?> ReadAsync(CancellationToken ct)
    {
        try
        {
            byte marker = _rows.ReadByte();
            if (marker == CleanedShardFiles.EndMarker)
            {
                long count = _rows.ReadInt64();
                if (count != _read) throw new InvalidDataException($"{_name}/{CleanedShardFiles.Rows} ends after {_read} rows but says it holds {count}.");
                if (_rows.BaseStream.ReadByte() != -1) throw new InvalidDataException($"{_name}/{CleanedShardFiles.Rows} has bytes after its end.");
                var extra = new byte[1];
                if (await _examples.ReadAsync(extra, ct) != 0) throw new InvalidDataException($"{_name}/{CleanedShardFiles.Examples} has more lines than {CleanedShardFiles.Rows} has rows.");
                return null;
            }
            if (marker != CleanedShardFiles.RowMarker) throw new InvalidDataException($"{_name}/{CleanedShardFiles.Rows}: row {_read + 1} starts with {marker}, not a row marker.");
            long line = _rows.ReadInt64();
            Span<byte> hashBytes = stackalloc byte[16];
            _rows.BaseStream.ReadExactly(hashBytes);
            var hash = BinaryPrimitives.ReadUInt128BigEndian(hashBytes);
            _rows.BaseStream.ReadExactly(hashBytes);
            var splitKey = BinaryPrimitives.ReadUInt128BigEndian(hashBytes);
            long characters = _rows.ReadInt64();
            long tokens = _rows.ReadInt64();
            int jsonLength = _rows.ReadInt32();
            string id = _rows.ReadString();
            var signatures = new ulong[_signatureLengths.Length][];
            for (int s = 0; s < signatures.Length; s++)
            {
                signatures[s] = new ulong[_signatureLengths[s]];
                for (int v = 0; v < signatures[s].Length; v++) signatures[s][v] = _rows.ReadUInt64();
            }
            if (jsonLength > _json.Length) _json = new byte[Math.Max(jsonLength, _json.Length * 2)];
            await _examples.ReadExactlyAsync(_json.AsMemory(0, jsonLength), ct);
            _read++;
            return new ShardRow(id, line, hash, splitKey, characters, tokens, _json.AsMemory(0, jsonLength), signatures);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{_name}: {CleanedShardFiles.Rows} or {CleanedShardFiles.Examples} ends in the middle of row {_read + 1}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _rows.Dispose();
        await _examples.DisposeAsync();
    }
}
