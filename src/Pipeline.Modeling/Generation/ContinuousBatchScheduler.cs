using System.Threading.Channels;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Generation;

/// <summary>How <see cref="ContinuousBatchScheduler"/> bounds its batch.</summary>
public sealed record SchedulerOptions
{
    /// <summary>Most requests decoded at once (16: where a small model on a CPU stops gaining tokens/s).</summary>
    public int MaxBatch { get; init; } = 16;

    /// <summary>Cache columns per row (null: the model's context, max_position_embeddings): prompt plus new tokens must fit.</summary>
    public int? MaxLength { get; init; }

    /// <summary>Most new tokens any request may ask for (512); larger requests are capped to it.</summary>
    public int MaxNewTokensPerRequest { get; init; } = 512;

    /// <summary>
    /// Global bound on memory: the sum over running requests of prompt tokens plus the new tokens they may still
    /// produce (16,384). A request waits until it fits; one that never fits alone is refused.
    /// </summary>
    public int TokenBudget { get; init; } = 16_384;

    /// <summary>Seed of the sampling generator (null: nondeterministic). Requests share it, so a sampled request depends on its neighbours.</summary>
    public long? Seed { get; init; }
}

/// <summary>A request in the scheduler: its tokens as they are chosen, and the finished sequence.</summary>
public sealed class GenerationRequest
{
    private readonly Channel<int> tokens = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly TaskCompletionSource<GeneratedSequence> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal GenerationRequest(int[] prompt, GenerationOptions options, CancellationToken cancellation)
    {
        Prompt = prompt;
        Options = options;
        Cancellation = cancellation;
    }

    public int[] Prompt { get; }
    public GenerationOptions Options { get; }
    internal CancellationToken Cancellation { get; }

    /// <summary>New token ids, one by one as each step chooses them; completes when the request finishes.</summary>
    public ChannelReader<int> Tokens => tokens.Reader;

    /// <summary>The whole continuation (tokens, raw log-probabilities, finish reason).</summary>
    public Task<GeneratedSequence> Completion => completion.Task;

    internal int Reserved => Prompt.Length + Options.MaxNewTokens;
    internal int Streamed { get; set; }

    internal void Publish(DecodingRow row)
    {
        for (; Streamed < row.Tokens.Count; Streamed++) tokens.Writer.TryWrite(row.Tokens[Streamed]);
        if (row.Finished is null) return;
        tokens.Writer.TryComplete();
        completion.TrySetResult(row.ToSequence());
    }

    internal void Fail(Exception error)
    {
        tokens.Writer.TryComplete(error);
        if (error is OperationCanceledException cancelled) completion.TrySetCanceled(cancelled.CancellationToken);
        else completion.TrySetException(error);
    }
}

/// <summary>What the scheduler has done so far (for /metrics and tests).</summary>
public sealed record SchedulerStatistics(long Steps, long Prefills, long RequestsCompleted, long TokensGenerated, long PromptTokens, int RunningRows, int WaitingRequests, int PeakRows);

/// <summary>
/// Continuous batching over one <see cref="DecodingBatch"/>: requests wait in a queue, join the running batch at the
/// next step (prefilled together), stream their tokens as each step chooses them, and leave when they finish, making
/// room for the next. Memory is bounded by <see cref="SchedulerOptions.MaxBatch"/>, the cache length, each request's
/// maximum and the global token budget. One thread owns the model and every tensor; callers only submit and read.
/// </summary>
public sealed class ContinuousBatchScheduler : IDisposable
{
    private readonly CausalLanguageModel model;
    private readonly SchedulerOptions options;
    private readonly int maxLength;
    private readonly Queue<GenerationRequest> waiting = new();
    private readonly object gate = new();
    private readonly SemaphoreSlim work = new(0);
    private readonly CancellationTokenSource stopping = new();
    private readonly Thread? loop;
    private readonly Generator? random;
    private readonly DecodingBatch batch;
    private int reserved;
    private long steps, prefills, completed, generated, promptTokens;
    private int peakRows;

    /// <param name="startThread">False: nothing runs until the caller calls <see cref="Iterate"/> (deterministic tests).</param>
    public ContinuousBatchScheduler(CausalLanguageModel model, SchedulerOptions options, bool startThread = true)
    {
        if (options.MaxBatch < 1) throw new ArgumentOutOfRangeException(nameof(options), options.MaxBatch, "MaxBatch must be at least 1");
        if (options.TokenBudget < 2) throw new ArgumentOutOfRangeException(nameof(options), options.TokenBudget, "TokenBudget must be at least 2");
        this.model = model;
        this.options = options;
        maxLength = options.MaxLength ?? model.Config.MaxPositionEmbeddings;
        random = options.Seed is { } seed ? new Generator((ulong)seed, model.parameters().First().device) : null;
        batch = new DecodingBatch(model, options.MaxBatch, maxLength, random) { TrackRepetitions = true };
        model.eval();
        if (!startThread) return;
        loop = new Thread(Run) { IsBackground = true, Name = "continuous-batch-scheduler" };
        loop.Start();
    }

    public int MaxLength => maxLength;

    /// <summary>Queues a request; it joins the batch at the next step that has room for it.</summary>
    /// <exception cref="ArgumentException">The prompt is empty or does not fit the cache or the token budget.</exception>
    public GenerationRequest Submit(int[] prompt, GenerationOptions requestOptions, CancellationToken cancellation = default)
    {
        requestOptions.Validate();
        if (prompt.Length == 0) throw new ArgumentException("The prompt needs at least one token.", nameof(prompt));
        if (prompt.Length >= maxLength)
            throw new ArgumentException($"The prompt has {prompt.Length} tokens; this model serves at most {maxLength - 1} plus one new token.", nameof(prompt));
        var maxNew = Math.Max(1, Math.Min(Math.Min(requestOptions.MaxNewTokens, options.MaxNewTokensPerRequest), maxLength - prompt.Length));
        var request = new GenerationRequest(prompt, requestOptions with { MaxNewTokens = maxNew }, cancellation);
        if (request.Reserved > options.TokenBudget)
            throw new ArgumentException($"The prompt ({prompt.Length} tokens) and up to {maxNew} new tokens exceed the server's token budget of {options.TokenBudget}.", nameof(prompt));
        lock (gate) waiting.Enqueue(request);
        work.Release();
        return request;
    }

    public SchedulerStatistics Statistics
    {
        get
        {
            lock (gate) return new(steps, prefills, completed, generated, promptTokens, batch.Rows.Count, waiting.Count, peakRows);
        }
    }

    /// <summary>
    /// One round on the calling thread: admit what fits, one decode step for the running rows, stream new tokens,
    /// let finished rows leave. Returns false when there was nothing to do.
    /// </summary>
    public bool Iterate()
    {
        using var noGrad = no_grad();
        var admitted = Admit();
        if (admitted.Count == 0 && batch.Rows.Count == 0) return false;
        if (admitted.Count > 0)
        {
            batch.Add([.. admitted.Select(r => (r.Prompt, r.Options, (object?)r))]);   // their first tokens
            lock (gate)
            {
                prefills++;
                promptTokens += admitted.Sum(r => r.Prompt.Length);
            }
        }
        if (batch.Rows.Any(r => r.Finished is null))
        {
            batch.Step();   // newcomers step with the rest at once
            lock (gate) steps++;
        }
        foreach (var row in batch.Rows) Publish(row);
        foreach (var row in batch.Rows.Where(r => r.Finished is null && ((GenerationRequest)r.Tag!).Cancellation.IsCancellationRequested))
            row.Finished = FinishReason.MaxNewTokens;   // leaves below; its request was already answered as cancelled
        var finished = batch.RemoveFinished();
        lock (gate)
        {
            foreach (var row in finished)
            {
                reserved -= ((GenerationRequest)row.Tag!).Reserved;
                completed++;
            }
            peakRows = Math.Max(peakRows, batch.Rows.Count + finished.Count);
        }
        return true;
    }

    private List<GenerationRequest> Admit()
    {
        var admitted = new List<GenerationRequest>();
        lock (gate)
        {
            while (waiting.Count > 0 && batch.FreeRows > admitted.Count)
            {
                var next = waiting.Peek();
                if (next.Cancellation.IsCancellationRequested)
                {
                    waiting.Dequeue().Fail(new OperationCanceledException(next.Cancellation));
                    continue;
                }
                if (reserved + next.Reserved > options.TokenBudget) break;   // first come, first served: the head waits for room
                reserved += next.Reserved;
                admitted.Add(waiting.Dequeue());
            }
        }
        return admitted;
    }

    private void Publish(DecodingRow row)
    {
        var request = (GenerationRequest)row.Tag!;
        var before = request.Streamed;
        if (request.Cancellation.IsCancellationRequested) request.Fail(new OperationCanceledException(request.Cancellation));
        else request.Publish(row);
        lock (gate) generated += row.Tokens.Count - before;
    }

    private void Run()
    {
        while (!stopping.IsCancellationRequested)
        {
            bool busy;
            try
            {
                busy = Iterate();
            }
            catch (Exception error)
            {
                // A failed step fails the requests in it, not the server: they leave, the next ones start afresh.
                FailRunning(error);
                busy = true;
            }
            if (!busy)
            {
                try { work.Wait(stopping.Token); }
                catch (OperationCanceledException) { break; }
            }
        }
    }

    private void FailRunning(Exception error)
    {
        foreach (var row in batch.Rows)
        {
            ((GenerationRequest)row.Tag!).Fail(new InvalidOperationException($"Generation failed: {error.Message}", error));
            row.Finished ??= FinishReason.MaxNewTokens;
        }
        var finished = batch.RemoveFinished();
        lock (gate) foreach (var row in finished) reserved -= ((GenerationRequest)row.Tag!).Reserved;
    }

    public void Dispose()
    {
        stopping.Cancel();
        loop?.Join();
        lock (gate)
            while (waiting.Count > 0) waiting.Dequeue().Fail(new OperationCanceledException("The scheduler stopped."));
        foreach (var row in batch.Rows) ((GenerationRequest)row.Tag!).Fail(new OperationCanceledException("The scheduler stopped."));
        batch.Dispose();
        random?.Dispose();
        work.Dispose();
        stopping.Dispose();
    }
}
