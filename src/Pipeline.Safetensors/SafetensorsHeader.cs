using System.Buffers.Binary;

namespace Pipeline.Safetensors;

/// <summary>
/// The parsed and validated header of a safetensors file: which tensors it holds, where their
/// bytes are, and its free-form string metadata.
/// </summary>
/// <remarks>
/// Validation matches Hugging Face's reader (safetensors/src/tensor.rs, <c>read_metadata</c> and
/// <c>Metadata::validate</c>): the header is at most 100 MB of UTF-8 JSON; sorted by offset, the
/// tensors must tile the data section exactly (the first begins at 0, each begins where the previous
/// ends, the last ends at the end of the file), so gaps, overlaps and trailing bytes are all errors;
/// and every tensor's byte length must equal its element count times the element size, computed
/// without overflow. Stricter than upstream: a name given twice is an error (serde keeps the last one).
/// Everything is checked from the header alone, before anything sized by it is allocated.
/// </remarks>
public sealed class SafetensorsHeader
{
    /// <summary>Size of the little-endian u64 that opens the file.</summary>
    public const int LengthPrefixSize = 8;

    /// <summary>Upstream's cap (<c>MAX_HEADER_SIZE</c>): larger headers are refused before they are read.</summary>
    public const long MaxHeaderLength = 100_000_000;

    private SafetensorsHeader(long headerLength, long dataSectionLength,
        IReadOnlyList<TensorInfo> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        HeaderLength = headerLength;
        DataSectionLength = dataSectionLength;
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>N, the JSON length in bytes (padding included).</summary>
    public long HeaderLength { get; }

    /// <summary>Absolute offset of the data section: 8 + N.</summary>
    public long DataSectionOffset => LengthPrefixSize + HeaderLength;

    /// <summary>Bytes after the header; the tensors cover exactly this many.</summary>
    public long DataSectionLength { get; }

    /// <summary>The tensors in file order (by offset).</summary>
    public IReadOnlyList<TensorInfo> Tensors { get; }

    /// <summary>The "__metadata__" map (empty when absent), e.g. {"format": "pt"}.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>
    /// Reads N from the first 8 bytes and checks it against the cap and the file length.
    /// </summary>
    public static long ReadHeaderLength(ReadOnlySpan<byte> prefix, long fileLength, string filePath)
    {
        if (fileLength < LengthPrefixSize || prefix.Length < LengthPrefixSize)
            throw new SafetensorsFormatException(filePath, null,
                $"the file is {fileLength} bytes long; a safetensors file starts with an 8-byte little-endian header length.");
        var length = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (length > MaxHeaderLength)
            throw new SafetensorsFormatException(filePath, null,
                $"the header length is {length} bytes, more than the {MaxHeaderLength}-byte limit; the file is not safetensors or is corrupt.");
        if ((long)length > fileLength - LengthPrefixSize)
            throw new SafetensorsFormatException(filePath, null,
                $"the header length is {length} bytes but only {fileLength - LengthPrefixSize} bytes follow the length prefix; the file is truncated.");
        return (long)length;
    }

    /// <summary>Parses a whole file held in memory (tests, small files).</summary>
    public static SafetensorsHeader Parse(ReadOnlySpan<byte> file, string filePath)
    {
        var headerLength = ReadHeaderLength(file, file.Length, filePath);
        return Parse(file.Slice(LengthPrefixSize, (int)headerLength), file.Length, filePath);
    }

    /// <summary>Parses and validates the N header bytes of a file that is <paramref name="fileLength"/> bytes long.</summary>
    public static SafetensorsHeader Parse(ReadOnlySpan<byte> headerJson, long fileLength, string filePath)
    {
        var dataOffset = LengthPrefixSize + (long)headerJson.Length;
        var dataLength = fileLength - dataOffset;
        if (dataLength < 0)
            throw new SafetensorsFormatException(filePath, null,
                $"the header is {headerJson.Length} bytes but the file is only {fileLength} bytes long.");

        var (entries, metadata) = SafetensorsHeaderJson.Read(headerJson, filePath);
        foreach (var entry in entries)
            CheckEntry(entry, dataLength, filePath);
        CheckTiling(entries, dataLength, filePath);

        var tensors = entries
            .Select(e => new TensorInfo(e.Name, e.DType, e.Shape, dataOffset + e.Begin, e.End - e.Begin))
            .ToArray();
        return new SafetensorsHeader(headerJson.Length, dataLength, tensors, metadata);
    }

    private static void CheckEntry(RawTensorEntry entry, long dataLength, string filePath)
    {
        var offsets = $"data_offsets [{entry.Begin}, {entry.End}]";
        if (entry.Begin > entry.End)
            throw new SafetensorsFormatException(filePath, entry.Name, $"{offsets} end before they begin.");
        if (entry.End > dataLength)
            throw new SafetensorsFormatException(filePath, entry.Name,
                $"{offsets} reach past the end of the data section, which holds {dataLength} bytes.");
        var shape = "[" + string.Join(", ", entry.Shape) + "]";
        var byteLength = CheckedByteLength(entry.Shape, entry.DType)
            ?? throw new SafetensorsFormatException(filePath, entry.Name,
                $"shape {shape} of {entry.DType} has more bytes than a 64-bit size can count.");
        if (byteLength != entry.End - entry.Begin)
            throw new SafetensorsFormatException(filePath, entry.Name,
                $"shape {shape} of {entry.DType} needs {byteLength} bytes but {offsets} cover {entry.End - entry.Begin}.");
    }

    /// <summary>Element count × element size, or null on overflow (folded in dimension order, as upstream).</summary>
    internal static long? CheckedByteLength(IReadOnlyList<long> shape, SafetensorsDType dtype)
    {
        try
        {
            long elements = 1;
            foreach (var dim in shape)
                elements = checked(elements * dim);
            return checked(elements * dtype.ElementSize());
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static void CheckTiling(List<RawTensorEntry> entries, long dataLength, string filePath)
    {
        // Upstream sorts by (begin, end) and requires each tensor to start where the previous ended.
        entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin)
            : a.End != b.End ? a.End.CompareTo(b.End) : string.CompareOrdinal(a.Name, b.Name));
        long expected = 0;
        RawTensorEntry? previous = null;
        foreach (var entry in entries)
        {
            if (entry.Begin < expected)
                throw new SafetensorsFormatException(filePath, entry.Name,
                    $"its bytes [{entry.Begin}, {entry.End}) overlap tensor '{previous!.Name}', which ends at {expected}.");
            if (entry.Begin > expected)
                throw new SafetensorsFormatException(filePath, entry.Name,
                    $"it begins at {entry.Begin} but {(previous is null ? "the data section starts at 0" : $"tensor '{previous.Name}' ends at {expected}")}; " +
                    $"safetensors tensors must be contiguous, and bytes [{expected}, {entry.Begin}) belong to no tensor.");
            expected = entry.End;
            previous = entry;
        }
        if (expected != dataLength)
            throw new SafetensorsFormatException(filePath, null,
                $"the data section holds {dataLength} bytes but the tensors cover only the first {expected}; {dataLength - expected} trailing bytes belong to no tensor.");
    }
}
