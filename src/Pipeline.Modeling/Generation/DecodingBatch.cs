using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Generation;

/// <summary>One sequence being decoded: its prompt, settings, and what it has produced.</summary>
public sealed class DecodingRow
{
    internal DecodingRow(int[] prompt, GenerationOptions options, object? tag, int limit)
    {
        Prompt = prompt;
        Options = options;
        Tag = tag;
        Limit = limit;
    }

    public int[] Prompt { get; }
    public GenerationOptions Options { get; }

    /// <summary>The caller's handle (a request, a stream).</summary>
    public object? Tag { get; }

    /// <summary>Most new tokens: the options' maximum, less where the cache's length would not hold more.</summary>
    public int Limit { get; }

    public List<int> Tokens { get; } = [];
    public List<float> LogProbabilities { get; } = [];
    public FinishReason? Finished { get; internal set; }

    /// <summary>Columns of the cache from this row's first one to the newest.</summary>
    internal long Span { get; set; }

    public GeneratedSequence ToSequence() => new([.. Tokens], [.. LogProbabilities], Finished ?? FinishReason.MaxNewTokens);

    /// <summary>Records a chosen token and applies the stopping rules (end ids, stop sequences, the limit), all on host integers.</summary>
    internal void Record(int token, float logProbability)
    {
        Tokens.Add(token);
        LogProbabilities.Add(logProbability);
        if (Options.EosTokenIds.Contains(token)) Finished = FinishReason.EndOfSequence;
        else if (Options.StopSequences.Any(EndsWith)) Finished = FinishReason.StopSequence;
        else if (Tokens.Count >= Limit) Finished = FinishReason.MaxNewTokens;
    }

    private bool EndsWith(int[] stop)
    {
        if (Tokens.Count < stop.Length) return false;
        for (var i = 0; i < stop.Length; i++)
            if (Tokens[Tokens.Count - stop.Length + i] != stop[i]) return false;
        return true;
    }
}

/// <summary>
/// The decoder behind <see cref="SequenceGenerator"/> and <see cref="ContinuousBatchScheduler"/>: a batch of rows
/// sharing one preallocated KV cache (batch capacity × length capacity, written in place), with the attention mask,
/// position ids, last tokens and repetition record as preallocated tensors updated each step rather than rebuilt.
/// Every row's newest token sits in the same column (rows are right-aligned, padding on the left). New rows are
/// prefilled together and copied in (the batch shifts right if they are longer); finished rows leave and the others
/// move up; when the columns run out, the columns no row uses any more are dropped.
/// </summary>
public sealed class DecodingBatch : IDisposable
{
    private readonly CausalLanguageModel model;
    private readonly int batchCapacity;
    private readonly int lengthCapacity;
    private readonly Generator? random;
    private readonly DecodeProfile? profile;
    private readonly Device device;
    private readonly int? slidingWindow;
    private readonly List<DecodingRow> rows = [];
    private KvCache? cache;
    private Tensor? mask;        // (Bcap, Scap) bool: real columns of each row
    private Tensor? positions;   // (Bcap) int64: position of each row's next token
    private Tensor? last;        // (Bcap) int64: each row's newest token, fed next step
    private Tensor? seen;        // (Bcap, V) bool: prompt and generated tokens, for the repetition penalty
    private Tensor? columns;     // (Scap) int64: 0, 1, … for the sliding window
    private long length;         // columns in use
    private long extraColumns;   // columns a prompt pass adds besides the prompt (prompt tuning's virtual tokens)

    /// <param name="batchCapacity">Most rows at once.</param>
    /// <param name="lengthCapacity">Most cache columns: the longest prompt plus the most new tokens a row may need.</param>
    public DecodingBatch(CausalLanguageModel model, int batchCapacity, int lengthCapacity, Generator? random = null, DecodeProfile? profile = null)
    {
        if (batchCapacity < 1) throw new ArgumentOutOfRangeException(nameof(batchCapacity), batchCapacity, "must be at least 1");
        if (lengthCapacity < 2) throw new ArgumentOutOfRangeException(nameof(lengthCapacity), lengthCapacity, "must be at least 2");
        this.model = model;
        this.batchCapacity = batchCapacity;
        this.lengthCapacity = lengthCapacity;
        this.random = random;
        this.profile = profile;
        device = model.parameters().First().device;
        slidingWindow = model.Config.SlidingWindow;
    }

    public IReadOnlyList<DecodingRow> Rows => rows;
    public int FreeRows => batchCapacity - rows.Count;
    public int LengthCapacity => lengthCapacity;

    /// <summary>Cache columns in use (the longest row, padding included).</summary>
    public long Length => length;

    /// <summary>
    /// Prefills the prompts together, chooses each one's first token and adds them as rows (finished at once if that
    /// token stops them). Prompts need at least one token and fewer than the length capacity.
    /// </summary>
    public IReadOnlyList<DecodingRow> Add(IReadOnlyList<(int[] Prompt, GenerationOptions Options, object? Tag)> requests)
    {
        if (requests.Count == 0) return [];
        if (requests.Count > FreeRows) throw new InvalidOperationException($"The batch has {FreeRows} free rows; {requests.Count} were added.");
        var started = DecodeProfile.Now;
        using var scope = NewDisposeScope();
        var width = requests.Max(r => r.Prompt.Length);
        // 1. prompt pass over the new prompts alone, left-padded, into a growing cache
        var ids = new long[requests.Count * width];
        var promptMask = new long[requests.Count * width];
        for (var i = 0; i < requests.Count; i++)
        {
            var (prompt, options, _) = requests[i];
            var pad = width - prompt.Length;
            for (var c = 0; c < width; c++)
            {
                ids[i * width + c] = c < pad ? options.PadTokenId : prompt[c - pad];
                promptMask[i * width + c] = c < pad ? 0 : 1;
            }
        }
        using var prefill = model.CreateCache();
        var maskTensor = tensor(promptMask, [requests.Count, width], device: device);                                   // (n, P)
        var logits = model.call(new CausalLmInput(tensor(ids, [requests.Count, width], device: device), maskTensor, prefill, LogitsToKeep: 1))
            .Logits[.., ^1, ..].to(ScalarType.Float32);                                                               // (n, V)
        var prefillWidth = prefill.Length;                                                                            // P + virtual columns
        extraColumns = prefillWidth - width;
        EnsureBuffers(prefill, logits.shape[1]);
        if (prefillWidth + 1 > Capacity)
            throw new ArgumentException($"A prompt of {width} tokens does not fit a cache of {lengthCapacity} positions (the model's context or the request's limit).");

        // 2. make room: rows are right-aligned, so longer newcomers shift the batch right
        if (rows.Count == 0) length = 0;
        if (prefillWidth > length)
        {
            var shift = prefillWidth - length;
            if (rows.Count > 0 && length > 0) MoveColumns(0, shift, length);
            if (rows.Count > 0) mask!.narrow(0, 0, rows.Count).narrow(1, 0, shift).fill_(false);
            length = prefillWidth;
        }
        var first = rows.Count;
        var column = length - prefillWidth;
        cache!.CopyFrom(prefill, first, column);
        var newMask = mask!.narrow(0, first, requests.Count);
        newMask.fill_(false);
        if (extraColumns > 0) newMask.narrow(1, column, extraColumns).fill_(true);
        newMask.narrow(1, column + extraColumns, width).copy_(maskTensor.to(ScalarType.Bool));
        positions!.narrow(0, first, requests.Count).copy_(tensor(requests.Select(r => extraColumns + r.Prompt.Length).ToArray(), device: device));
        if (seen is not null)
        {
            // Each row's prompt ids; its padding repeats its first id (scattering the same id twice is harmless).
            var promptIds = new long[requests.Count * width];
            for (var i = 0; i < requests.Count; i++)
                for (var c = 0; c < width; c++)
                    promptIds[i * width + c] = requests[i].Prompt[Math.Max(0, c - (width - requests[i].Prompt.Length))];
            var rowsSeen = seen.narrow(0, first, requests.Count);
            rowsSeen.fill_(false);
            rowsSeen.scatter_(1, tensor(promptIds, [requests.Count, width], device: device), ones([requests.Count, width], ScalarType.Bool, device));
        }

        // 3. the first token of each new row
        // A row's own columns start at its first prompt token (or the first virtual one): its padding may be dropped later.
        long Span(int[] prompt) => extraColumns > 0 ? prefillWidth : prompt.Length;
        var added = requests.Select(r => new DecodingRow(r.Prompt, r.Options, r.Tag,
            (int)Math.Min(r.Options.MaxNewTokens, Capacity - Span(r.Prompt) + 1)) { Span = Span(r.Prompt) }).ToList();
        rows.AddRange(added);
        var settings = added.Select(r => r.Options).ToList();
        var (chosen, chosenLogProbabilities) = BatchSampler.Choose(logits, settings, seen?.narrow(0, first, added.Count), random);
        Record(added, first, chosen, chosenLogProbabilities);
        if (profile is not null) profile.Prefill += DecodeProfile.Since(started);
        return added;
    }

    /// <summary>One decode step: every row is fed its newest token and chooses the next.</summary>
    public void Step()
    {
        if (rows.Count == 0) return;
        if (length + 1 > Capacity) DropUnusedColumns();
        var started = DecodeProfile.Now;
        using var scope = NewDisposeScope();
        var batch = rows.Count;
        var activeMask = mask!.narrow(0, 0, batch).narrow(1, 0, length + 1);                          // (B, S + 1)
        activeMask.narrow(1, length, 1).fill_(true);
        var attend = slidingWindow is { } window ? activeMask.logical_and(columns!.narrow(0, 0, length + 1) > length - window) : activeMask;
        var input = new CausalLmInput(last!.narrow(0, 0, batch).unsqueeze(1), attend.unsqueeze(1).unsqueeze(1), cache,   // (B, 1), (B, 1, 1, S + 1)
            PositionIds: positions!.narrow(0, 0, batch).unsqueeze(1), LogitsToKeep: 1);                  // (B, 1)
        cache!.SetLayout(batch, length);
        var afterMasks = Lap(started, (p, t) => p.MasksAndPositions += t);

        var logits = model.call(input).Logits[.., ^1, ..].to(ScalarType.Float32);                       // (B, V)
        var afterForward = Lap(afterMasks, (p, t) => p.Forward += t);

        length += 1;
        positions.narrow(0, 0, batch).add_(1);
        foreach (var row in rows) row.Span += 1;
        var (chosen, chosenLogProbabilities) = BatchSampler.Choose(logits, [.. rows.Select(r => r.Options)], seen?.narrow(0, 0, batch), random);
        var afterSampling = Lap(afterForward, (p, t) => p.Sampling += t);
        Record(rows, 0, chosen, chosenLogProbabilities);
        if (profile is not null)
        {
            profile.Steps++;
            profile.HostWork += DecodeProfile.Since(afterSampling);
        }
    }

    /// <summary>Takes the finished rows out of the batch (the others move up, in order) and returns them.</summary>
    public IReadOnlyList<DecodingRow> RemoveFinished()
    {
        var finished = rows.Where(r => r.Finished is not null).ToList();
        if (finished.Count == 0) return finished;
        var started = DecodeProfile.Now;
        var keep = rows.Select((r, i) => (r, i)).Where(p => p.r.Finished is null).Select(p => (long)p.i).ToArray();
        if (keep.Length > 0 && keep[^1] != keep.Length - 1)   // nothing to move when only the last rows left
        {
            using var scope = NewDisposeScope();
            var index = tensor(keep, device: device);
            cache!.KeepRows(index, length);
            foreach (var buffer in new[] { mask, positions, last, seen }.OfType<Tensor>())
            {
                var kept = buffer.narrow(0, 0, rows.Count).index_select(0, index);
                buffer.narrow(0, 0, keep.Length).copy_(kept);
            }
        }
        rows.RemoveAll(r => r.Finished is not null);
        if (rows.Count == 0) length = 0;
        cache?.SetLayout(rows.Count, length);
        if (profile is not null) profile.CacheUpdate += DecodeProfile.Since(started);
        return finished;
    }

    /// <summary>Columns left of every row's first one hold nothing any row attends to: move the rest to column 0.</summary>
    private void DropUnusedColumns()
    {
        // Finished rows still in the batch are computed but never read: only running rows' columns must stay.
        var unused = length - rows.Where(r => r.Finished is null).Select(r => r.Span).DefaultIfEmpty(length - 1).Max();
        if (unused <= 0) throw new InvalidOperationException($"A row fills all {Capacity} columns of the cache; its limit should have stopped it.");
        using var scope = NewDisposeScope();
        MoveColumns(unused, 0, length - unused);
        length -= unused;
    }

    private void MoveColumns(long from, long to, long count)
    {
        var started = DecodeProfile.Now;
        cache!.MoveColumns(rows.Count, from, to, count);
        var rowsMask = mask!.narrow(0, 0, rows.Count);
        var moved = rowsMask.narrow(1, from, count).clone();
        rowsMask.narrow(1, to, count).copy_(moved);
        if (profile is not null) profile.CacheUpdate += DecodeProfile.Since(started);
    }

    private void Record(IReadOnlyList<DecodingRow> target, int first, Tensor chosen, Tensor chosenLogProbabilities)
    {
        var started = DecodeProfile.Now;
        last!.narrow(0, first, target.Count).copy_(chosen);
        if (seen is not null) seen.narrow(0, first, target.Count).scatter_(1, chosen.unsqueeze(1), tensor(true, device: device).expand(target.Count, 1));
        var ids = chosen.data<long>().ToArray();
        var logProbabilities = chosenLogProbabilities.data<float>().ToArray();
        var afterRead = DecodeProfile.Now;
        for (var i = 0; i < target.Count; i++)
            if (target[i].Finished is null) target[i].Record((int)ids[i], logProbabilities[i]);
        if (profile is not null)
        {
            profile.HostWork += DecodeProfile.Since(started) - DecodeProfile.Since(afterRead);
            profile.StopChecks += DecodeProfile.Since(afterRead);
        }
    }

    private long Lap(long since, Action<DecodeProfile, TimeSpan> add)
    {
        if (profile is not null) add(profile, DecodeProfile.Since(since));
        return DecodeProfile.Now;
    }

    private void EnsureBuffers(KvCache prefill, long vocabulary)
    {
        if (cache is not null) return;
        var capacity = lengthCapacity + extraColumns;
        cache = prefill.PreallocateLike(batchCapacity, capacity);
        mask = zeros([batchCapacity, capacity], ScalarType.Bool, device).DetachFromDisposeScope();
        positions = zeros([batchCapacity], ScalarType.Int64, device).DetachFromDisposeScope();
        last = zeros([batchCapacity], ScalarType.Int64, device).DetachFromDisposeScope();
        columns = arange(capacity, ScalarType.Int64, device).DetachFromDisposeScope();
        seen = usesPenalty ? zeros([batchCapacity, vocabulary], ScalarType.Bool, device).DetachFromDisposeScope() : null;
    }

    private bool usesPenalty;

    /// <summary>Columns of the cache: the length capacity plus what a prompt pass adds besides the prompt.</summary>
    private long Capacity => lengthCapacity + extraColumns;

    /// <summary>Keep a record of seen tokens for the repetition penalty (set before the first <see cref="Add"/>; the scheduler sets it when any request may use one).</summary>
    public bool TrackRepetitions { get => usesPenalty; init => usesPenalty = value; }

    public void Dispose()
    {
        cache?.Dispose();
        foreach (var buffer in new[] { mask, positions, last, seen, columns }) buffer?.Dispose();
    }
}
