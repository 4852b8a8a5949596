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
    private readonly string directory;
    private readonly FileStream examples;
    private readonly BinaryWriter rows;
    private readonly IReadOnlyList<int> signatureLengths;

    public CleanedShardWriter(string directory, IReadOnlyList<int> signatureLengths)
    {
        Directory.CreateDirectory(directory);
        this.directory = directory;
        this.signatureLengths = signatureLengths;
        this.examples = new FileStream(Path.Combine(directory, CleanedShardFiles.Examples), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        this.rows = new BinaryWriter(new FileStream(Path.Combine(directory, CleanedShardFiles.Rows), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16), Encoding.UTF8);
        this.rows.Write(CleanedShardFiles.Magic);
        this.rows.Write(CleanedShardFiles.Version);
        this.rows.Write(signatureLengths.Count);
        foreach (var length in signatureLengths) this.rows.Write(length);
    }

    public long Count { get; private set; }

    public void Add(ShardRow row)
    {
        if (row.Signatures.Count != this.signatureLengths.Count || row.Signatures.Where((s, i) => s.Length != this.signatureLengths[i]).Any())
            throw new ArgumentException($"Row '{row.Id}' has signatures of lengths [{string.Join(", ", row.Signatures.Select(s => s.Length))}]; this shard holds [{string.Join(", ", this.signatureLengths)}].");
        this.examples.Write(row.Json.Span);
        this.rows.Write(CleanedShardFiles.RowMarker);
        this.rows.Write(row.Line);
        Span<byte> hash = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(hash, row.Hash);
        this.rows.Write(hash);
        BinaryPrimitives.WriteUInt128BigEndian(hash, row.SplitKey);
        this.rows.Write(hash);
        this.rows.Write(row.Characters);
        this.rows.Write(row.Tokens);
        this.rows.Write(row.Json.Length);
        this.rows.Write(row.Id);
        foreach (var signature in row.Signatures)
            foreach (var value in signature) this.rows.Write(value);
        Count++;
    }

    /// <summary>Ends the rows file and writes the shard's card; the folder then holds a complete cleaned shard.</summary>
    public void Finish(DataCard card)
    {
        this.rows.Write(CleanedShardFiles.EndMarker);
        this.rows.Write(Count);
        this.rows.Flush();
        this.examples.Flush();
        File.WriteAllText(Path.Combine(this.directory, CleanedShardFiles.Card), card.ToJson() + "\n");
    }

    public void Dispose()
    {
        this.rows.Dispose();
        this.examples.Dispose();
    }
}

/// <summary>
/// Reads a cleaned shard's rows and their shard lines in step. Both streams are read to their end, so a store's
/// verifying streams check their hashes; a row count or byte count that does not add up is an error naming the shard.
/// </summary>
public sealed class CleanedShardReader : IAsyncDisposable
{
    private readonly Stream examples;
    private readonly BinaryReader rows;
    private readonly string name;
    private readonly int[] signatureLengths;
    private byte[] json = new byte[4096];
    private long read;

    private CleanedShardReader(Stream rows, Stream examples, string name)
    {
        this.name = name;
        this.examples = examples;
        this.rows = new BinaryReader(new BufferedStream(rows, 1 << 16), Encoding.UTF8);
        try
        {
            Span<byte> magic = stackalloc byte[4];
            this.rows.BaseStream.ReadExactly(magic);
            if (!magic.SequenceEqual(CleanedShardFiles.Magic) || this.rows.ReadInt32() != CleanedShardFiles.Version)
                throw new InvalidDataException($"{name}/{CleanedShardFiles.Rows} is not a cleaned shard's rows file (format PDSR version {CleanedShardFiles.Version}).");
            this.signatureLengths = new int[this.rows.ReadInt32()];
            for (int i = 0; i < this.signatureLengths.Length; i++) this.signatureLengths[i] = this.rows.ReadInt32();
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{name}/{CleanedShardFiles.Rows} is truncated in its header.");
        }
    }

    /// <param name="name">How errors name the shard (its artifact id, say).</param>
    public static CleanedShardReader Open(Stream rows, Stream examples, string name) => new(rows, examples, name);

    public IReadOnlyList<int> SignatureLengths => this.signatureLengths;

    /// <summary>The next row, or null after the last; its <see cref="ShardRow.Json"/> is valid until the next call.</summary>
    public async ValueTask<ShardRow?> ReadAsync(CancellationToken ct)
    {
        try
        {
            byte marker = this.rows.ReadByte();
            if (marker == CleanedShardFiles.EndMarker)
            {
                long count = this.rows.ReadInt64();
                if (count != this.read) throw new InvalidDataException($"{this.name}/{CleanedShardFiles.Rows} ends after {this.read} rows but says it holds {count}.");
                if (this.rows.BaseStream.ReadByte() != -1) throw new InvalidDataException($"{this.name}/{CleanedShardFiles.Rows} has bytes after its end.");
                var extra = new byte[1];
                if (await examples.ReadAsync(extra, ct).ConfigureAwait(false) != 0) throw new InvalidDataException($"{this.name}/{CleanedShardFiles.Examples} has more lines than {CleanedShardFiles.Rows} has rows.");
                return null;
            }
            if (marker != CleanedShardFiles.RowMarker) throw new InvalidDataException($"{this.name}/{CleanedShardFiles.Rows}: row {this.read + 1} starts with {marker}, not a row marker.");
            long line = this.rows.ReadInt64();
            Span<byte> hashBytes = stackalloc byte[16];
            this.rows.BaseStream.ReadExactly(hashBytes);
            var hash = BinaryPrimitives.ReadUInt128BigEndian(hashBytes);
            this.rows.BaseStream.ReadExactly(hashBytes);
            var splitKey = BinaryPrimitives.ReadUInt128BigEndian(hashBytes);
            long characters = this.rows.ReadInt64();
            long tokens = this.rows.ReadInt64();
            int jsonLength = this.rows.ReadInt32();
            string id = this.rows.ReadString();
            var signatures = new ulong[this.signatureLengths.Length][];
            for (int s = 0; s < signatures.Length; s++)
            {
                signatures[s] = new ulong[this.signatureLengths[s]];
                for (int v = 0; v < signatures[s].Length; v++) signatures[s][v] = this.rows.ReadUInt64();
            }
            if (jsonLength > this.json.Length) this.json = new byte[Math.Max(jsonLength, this.json.Length * 2)];
            await examples.ReadExactlyAsync(json.AsMemory(0, jsonLength), ct).ConfigureAwait(false);
            this.read++;
            return new ShardRow(id, line, hash, splitKey, characters, tokens, this.json.AsMemory(0, jsonLength), signatures);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{this.name}: {CleanedShardFiles.Rows} or {CleanedShardFiles.Examples} ends in the middle of row {this.read + 1}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        this.rows.Dispose();
        await examples.DisposeAsync().ConfigureAwait(false);
    }
}
