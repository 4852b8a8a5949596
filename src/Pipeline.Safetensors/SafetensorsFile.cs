using System.IO.MemoryMappedFiles;
using System.Runtime.CompilerServices;

namespace Pipeline.Safetensors;

/// <summary>
/// A safetensors file opened for reading. The file is memory-mapped, not read: a tensor's bytes are
/// handed out as a span or a pointer into the mapping, so a 5 GB shard never enters managed memory.
/// Spans and pointers are valid until <see cref="Dispose"/>; streams from
/// <see cref="OpenTensorStream"/> have their own view and outlive it. Reads are thread-safe.
/// The file is opened with FileShare.Read; truncating it from outside while mapped is undefined.
/// </summary>
public sealed unsafe class SafetensorsFile : IDisposable
{
    private readonly MemoryMappedFile mapping;
    private readonly MemoryMappedViewAccessor view;
    private readonly Dictionary<string, TensorInfo> byName;
    private byte* basePointer;

    private SafetensorsFile(string path, long length, MemoryMappedFile mapping, MemoryMappedViewAccessor view,
        byte* basePointer, SafetensorsHeader header)
    {
        Path = path;
        FileLength = length;
        this.mapping = mapping;
        this.view = view;
        this.basePointer = basePointer;
        Header = header;
        byName = header.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The path the file was opened with.</summary>
    public string Path { get; }

    public long FileLength { get; }

    /// <summary>The validated header (lengths, tensors, metadata).</summary>
    public SafetensorsHeader Header { get; }

    /// <summary>The tensors in file order.</summary>
    public IReadOnlyList<TensorInfo> Tensors => Header.Tensors;

    /// <summary>The "__metadata__" map; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata => Header.Metadata;

    /// <summary>Opens, maps and validates <paramref name="path"/>; a malformed file throws <see cref="SafetensorsFormatException"/>.</summary>
    public static SafetensorsFile Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);
        MemoryMappedFile? mapping = null;
        MemoryMappedViewAccessor? view = null;
        byte* pointer = null;
        try
        {
            var length = stream.Length;
            // Checked before mapping: an empty file cannot be mapped, and a short one has no header length.
            Span<byte> prefix = stackalloc byte[SafetensorsHeader.LengthPrefixSize];
            if (length >= prefix.Length)
                stream.ReadExactly(prefix);
            var headerLength = SafetensorsHeader.ReadHeaderLength(prefix, length, path);

            // The mapping owns the stream from here on: later views (OpenTensorStream) map through it.
            mapping = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read,
                HandleInheritability.None, leaveOpen: false);
            view = mapping.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            var start = pointer + view.PointerOffset;
            var header = SafetensorsHeader.Parse(
                new ReadOnlySpan<byte>(start + SafetensorsHeader.LengthPrefixSize, (int)headerLength), length, path);
            return new SafetensorsFile(path, length, mapping, view, start, header);
        }
        catch
        {
            if (pointer != null)
                view!.SafeMemoryMappedViewHandle.ReleasePointer();
            view?.Dispose();
            mapping?.Dispose();
            stream.Dispose();
            throw;
        }
    }

    public bool Contains(string name) => byName.ContainsKey(name);

    public bool TryGetInfo(string name, out TensorInfo info) => byName.TryGetValue(name, out info!);

    /// <summary>The tensor called <paramref name="name"/>; a KeyNotFoundException naming the file otherwise.</summary>
    public TensorInfo GetInfo(string name) =>
        byName.TryGetValue(name, out var info) ? info
            : throw new KeyNotFoundException($"'{Path}' has no tensor named '{name}' (it holds {byName.Count} tensors).");

    /// <summary>The tensor's bytes, straight from the mapping (no copy). At most 2 GiB; use the pointer or a stream beyond.</summary>
    public ReadOnlySpan<byte> GetBytes(string name)
    {
        var info = GetInfo(name);
        if (info.ByteLength > int.MaxValue)
            throw new InvalidOperationException(
                $"Tensor '{name}' in '{Path}' is {info.ByteLength} bytes, more than a span can hold; use GetPointer, GetBytes(name, start, length) or OpenTensorStream.");
        return new ReadOnlySpan<byte>(Address(info), (int)info.ByteLength);
    }

    /// <summary>A window [start, start + length) of the tensor's bytes, for tensors over 2 GiB or chunked copies.</summary>
    public ReadOnlySpan<byte> GetBytes(string name, long start, int length)
    {
        var info = GetInfo(name);
        if (start < 0 || length < 0 || start > info.ByteLength - length)
            throw new ArgumentOutOfRangeException(nameof(start),
                $"Bytes [{start}, {start + length}) are outside tensor '{name}', which has {info.ByteLength} bytes.");
        return new ReadOnlySpan<byte>(Address(info) + start, length);
    }

    /// <summary>
    /// Address of the tensor's first byte in the mapping, for handing to native code (ByteLength bytes,
    /// read-only, valid until this file is disposed). Alignment is whatever the file gives: HF pads the
    /// header to 8 bytes and orders tensors by alignment, so its files are naturally aligned.
    /// </summary>
    public nint GetPointer(string name) => (nint)Address(GetInfo(name));

    /// <summary>Copies the tensor's bytes into <paramref name="destination"/>, which must be exactly ByteLength long.</summary>
    public void CopyTo(string name, Span<byte> destination)
    {
        var info = GetInfo(name);
        if (destination.Length != info.ByteLength)
            throw new ArgumentException(
                $"Tensor '{name}' in '{Path}' has {info.ByteLength} bytes ({info.DType} {info.ShapeText}) but the destination holds {destination.Length}.",
                nameof(destination));
        new ReadOnlySpan<byte>(Address(info), destination.Length).CopyTo(destination);
    }

    /// <summary>Copies the tensor's bytes to native memory (any size), e.g. a tensor's data pointer.</summary>
    public void CopyTo(string name, nint destination, long destinationLength)
    {
        var info = GetInfo(name);
        if (destinationLength != info.ByteLength)
            throw new ArgumentException(
                $"Tensor '{name}' in '{Path}' has {info.ByteLength} bytes but the destination holds {destinationLength}.",
                nameof(destinationLength));
        Buffer.MemoryCopy(Address(info), (void*)destination, destinationLength, info.ByteLength);
    }

    /// <summary>A read-only stream over the tensor's bytes, backed by its own view of the mapping.</summary>
    public Stream OpenTensorStream(string name)
    {
        var info = GetInfo(name);
        ThrowIfDisposed();
        // A view of size 0 would mean "to the end of the file".
        if (info.ByteLength == 0)
            return new MemoryStream([], writable: false);
        return mapping.CreateViewStream(info.DataOffset, info.ByteLength, MemoryMappedFileAccess.Read);
    }

    public void Dispose()
    {
        if (basePointer == null)
            return;
        basePointer = null;
        view.SafeMemoryMappedViewHandle.ReleasePointer();
        view.Dispose();
        mapping.Dispose();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private byte* Address(TensorInfo info)
    {
        ThrowIfDisposed();
        return basePointer + info.DataOffset;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(basePointer == null, this);
}
