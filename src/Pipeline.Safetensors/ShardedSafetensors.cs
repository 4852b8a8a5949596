namespace Pipeline.Safetensors;

/// <summary>
/// A checkpoint directory read as one set of tensors: either a single model.safetensors or the shards
/// listed by model.safetensors.index.json. Lookups go by tensor name across shards; bytes come from
/// the memory-mapped shard (see <see cref="SafetensorsFile"/>). Dispose closes every shard.
/// </summary>
public sealed class ShardedSafetensors : IDisposable
{
    private readonly Dictionary<string, SafetensorsFile> owner;

    private ShardedSafetensors(string directory, string? indexPath, long? totalSize,
        IReadOnlyList<SafetensorsFile> shards, Dictionary<string, SafetensorsFile> owner)
    {
        Directory = directory;
        IndexPath = indexPath;
        TotalSize = totalSize;
        Shards = shards;
        this.owner = owner;
        Tensors = shards.SelectMany(s => s.Tensors).ToArray();
    }

    public string Directory { get; }

    /// <summary>The index file read, or null for a single-file checkpoint.</summary>
    public string? IndexPath { get; }

    /// <summary>metadata.total_size from the index, when it has one.</summary>
    public long? TotalSize { get; }

    /// <summary>The opened shard files, in file-name order.</summary>
    public IReadOnlyList<SafetensorsFile> Shards { get; }

    /// <summary>Every tensor of every shard, shard by shard in file order.</summary>
    public IReadOnlyList<TensorInfo> Tensors { get; }

    /// <summary>
    /// Opens the checkpoint in <paramref name="directory"/>. Like transformers, a single
    /// "{baseName}.safetensors" is preferred; otherwise "{baseName}.safetensors.index.json" is read.
    /// </summary>
    public static ShardedSafetensors Open(string directory, string baseName = SafetensorsFileNames.DefaultBaseName)
    {
        var single = Path.Combine(directory, SafetensorsFileNames.SingleFile(baseName));
        if (File.Exists(single))
        {
            var file = SafetensorsFile.Open(single);
            return new ShardedSafetensors(directory, null, null, [file],
                file.Tensors.ToDictionary(t => t.Name, _ => file, StringComparer.Ordinal));
        }
        var index = Path.Combine(directory, SafetensorsFileNames.IndexFile(baseName));
        if (File.Exists(index))
            return OpenIndex(index);
        throw new FileNotFoundException(
            $"'{directory}' holds no safetensors checkpoint: neither '{SafetensorsFileNames.SingleFile(baseName)}' nor '{SafetensorsFileNames.IndexFile(baseName)}' exists.",
            single);
    }

    /// <summary>
    /// Opens the shards an index lists and checks that they agree with it: every listed tensor is in
    /// the shard the index names, no tensor is in two shards, and no shard holds a tensor the index
    /// does not list (a loader driven by the index would silently drop it).
    /// </summary>
    public static ShardedSafetensors OpenIndex(string indexPath)
    {
        var index = SafetensorsIndex.Read(indexPath);
        var directory = Path.GetDirectoryName(Path.GetFullPath(indexPath))!;
        var shards = new List<SafetensorsFile>();
        try
        {
            var byFileName = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
            foreach (var fileName in index.WeightMap.Values.Distinct().Order(StringComparer.Ordinal))
            {
                var path = Path.Combine(directory, fileName);
                if (!File.Exists(path))
                    throw new SafetensorsFormatException(indexPath, null,
                        $"\"weight_map\" refers to shard '{fileName}', which does not exist in '{directory}'.");
                var shard = SafetensorsFile.Open(path);
                shards.Add(shard);
                byFileName[fileName] = shard;
            }

            var owner = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
            foreach (var shard in shards)
                foreach (var tensor in shard.Tensors)
                    if (!owner.TryAdd(tensor.Name, shard))
                        throw new SafetensorsFormatException(indexPath, tensor.Name,
                            $"the tensor is in two shards, '{Path.GetFileName(owner[tensor.Name].Path)}' and '{Path.GetFileName(shard.Path)}'.");
            foreach (var (name, shard) in owner)
            {
                if (!index.WeightMap.TryGetValue(name, out var listed))
                    throw new SafetensorsFormatException(indexPath, name,
                        $"shard '{Path.GetFileName(shard.Path)}' holds the tensor but \"weight_map\" does not list it.");
                if (byFileName[listed] != shard)
                    throw new SafetensorsFormatException(indexPath, name,
                        $"\"weight_map\" puts the tensor in '{listed}' but it is in '{Path.GetFileName(shard.Path)}'.");
            }
            foreach (var (name, fileName) in index.WeightMap)
                if (!owner.ContainsKey(name))
                    throw new SafetensorsFormatException(indexPath, name,
                        $"\"weight_map\" puts the tensor in '{fileName}', but that shard has no such tensor.");
            return new ShardedSafetensors(directory, indexPath, index.TotalSize, shards, owner);
        }
        catch
        {
            foreach (var shard in shards)
                shard.Dispose();
            throw;
        }
    }

    public bool Contains(string name) => owner.ContainsKey(name);

    /// <summary>The shard holding <paramref name="name"/>; a KeyNotFoundException naming the checkpoint otherwise.</summary>
    public SafetensorsFile ShardOf(string name) =>
        owner.TryGetValue(name, out var shard) ? shard
            : throw new KeyNotFoundException(
                $"The checkpoint in '{Directory}' has no tensor named '{name}' (it holds {owner.Count} tensors in {Shards.Count} file(s)).");

    public bool TryGetInfo(string name, out TensorInfo info)
    {
        info = null!;
        return owner.TryGetValue(name, out var shard) && shard.TryGetInfo(name, out info);
    }

    public TensorInfo GetInfo(string name) => ShardOf(name).GetInfo(name);

    /// <inheritdoc cref="SafetensorsFile.GetBytes(string)"/>
    public ReadOnlySpan<byte> GetBytes(string name) => ShardOf(name).GetBytes(name);

    /// <inheritdoc cref="SafetensorsFile.GetPointer"/>
    public nint GetPointer(string name) => ShardOf(name).GetPointer(name);

    /// <inheritdoc cref="SafetensorsFile.CopyTo(string, Span{byte})"/>
    public void CopyTo(string name, Span<byte> destination) => ShardOf(name).CopyTo(name, destination);

    /// <inheritdoc cref="SafetensorsFile.OpenTensorStream"/>
    public Stream OpenTensorStream(string name) => ShardOf(name).OpenTensorStream(name);

    public void Dispose()
    {
        foreach (var shard in Shards)
            shard.Dispose();
    }
}
