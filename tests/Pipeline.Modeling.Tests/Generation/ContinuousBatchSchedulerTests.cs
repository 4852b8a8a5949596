using Pipeline.Modeling.Generation;

namespace Pipeline.Modeling.Tests.Generation;

public sealed class ContinuousBatchSchedulerTests
{
    private static readonly GenerationOptions Greedy = new() { MaxNewTokens = 10, EosTokenIds = [3, 29] };

    private static int[] Alone(CausalLanguageModel model, int[] prompt, GenerationOptions options) =>
        SequenceGenerator.Generate(model, [prompt], options)[0].TokenIds;

    [Fact]
    public async Task A_request_joins_the_running_batch_at_the_next_step_and_both_match_their_solo_runs()
    {
        using var model = TinyModels.Create(TinyModels.Llama());
        using var scheduler = new ContinuousBatchScheduler(model, new SchedulerOptions { MaxBatch = 4, MaxLength = 64 }, startThread: false);
        var prompts = BatchedDecodingTests.MixedPrompts(2, seed: 21);
        var long1 = new GenerationOptions { MaxNewTokens = 12 };

        var first = scheduler.Submit(prompts[0], long1);
        for (var i = 0; i < 3; i++) Assert.True(scheduler.Iterate());
        Assert.Equal(1, scheduler.Statistics.RunningRows);
        var second = scheduler.Submit(prompts[1], long1);
        Assert.True(scheduler.Iterate());
        Assert.Equal(2, scheduler.Statistics.RunningRows);   // joined at once, while the first is still running
        Assert.False(first.Completion.IsCompleted);
        while (scheduler.Iterate()) { }

        Assert.Equal(Alone(model, prompts[0], long1), (await first.Completion).TokenIds);
        Assert.Equal(Alone(model, prompts[1], long1), (await second.Completion).TokenIds);
        Assert.Equal(0, scheduler.Statistics.RunningRows);
        Assert.Equal(2, scheduler.Statistics.PeakRows);
    }

    [Fact]
    public async Task Concurrent_requests_give_the_same_greedy_tokens_as_sequential_ones_and_stream_them()
    {
        using var model = TinyModels.Create(TinyModels.Llama());
        var prompts = BatchedDecodingTests.MixedPrompts(12, seed: 22);
        var expected = prompts.Select(p => Alone(model, p, Greedy)).ToList();
        using var scheduler = new ContinuousBatchScheduler(model, new SchedulerOptions { MaxBatch = 5, MaxLength = 64 });

        var requests = prompts.Select(p => scheduler.Submit(p, Greedy)).ToList();
        var streamed = await Task.WhenAll(requests.Select(async r =>
        {
            var tokens = new List<int>();
            await foreach (var token in r.Tokens.ReadAllAsync()) tokens.Add(token);
            return tokens;
        }));
        var results = await Task.WhenAll(requests.Select(r => r.Completion));

        for (var i = 0; i < prompts.Count; i++)
        {
            Assert.Equal(expected[i], results[i].TokenIds);
            Assert.Equal(expected[i], streamed[i]);
        }
        Assert.True(scheduler.Statistics.PeakRows is > 1 and <= 5, $"peak rows {scheduler.Statistics.PeakRows}");
        Assert.Equal(12, scheduler.Statistics.RequestsCompleted);
    }

    [Fact]
    public async Task The_token_budget_bounds_the_rows_running_at_once()
    {
        using var model = TinyModels.Create(TinyModels.Llama());
        var options = new GenerationOptions { MaxNewTokens = 8 };
        // Each request reserves 4 prompt + 8 new = 12 tokens: a budget of 25 admits two at a time.
        using var scheduler = new ContinuousBatchScheduler(model, new SchedulerOptions { MaxBatch = 8, MaxLength = 64, TokenBudget = 25 }, startThread: false);
        var requests = Enumerable.Range(0, 5).Select(i => scheduler.Submit([1 + i, 2, 3 + i, 4], options)).ToList();
        var most = 0;
        while (scheduler.Iterate()) most = Math.Max(most, scheduler.Statistics.RunningRows);

        Assert.Equal(2, most);
        Assert.All(await Task.WhenAll(requests.Select(r => r.Completion)), r => Assert.Equal(8, r.TokenIds.Length));
        Assert.Equal(2, scheduler.Statistics.PeakRows);
    }

    [Fact]
    public async Task A_request_is_capped_by_the_per_request_maximum_and_the_cache_length()
    {
        using var model = TinyModels.Create(TinyModels.Llama());
        using var scheduler = new ContinuousBatchScheduler(model, new SchedulerOptions { MaxLength = 20, MaxNewTokensPerRequest = 6 }, startThread: false);
        var capped = scheduler.Submit([1, 2, 3], new GenerationOptions { MaxNewTokens = 50 });
        var byLength = scheduler.Submit([.. Enumerable.Range(1, 16)], new GenerationOptions { MaxNewTokens = 50 });
        while (scheduler.Iterate()) { }
        Assert.Equal(6, (await capped.Completion).TokenIds.Length);
        Assert.Equal(4, (await byLength.Completion).TokenIds.Length);   // 16 + 4 = the 20 columns

        var error = Assert.Throws<ArgumentException>(() => scheduler.Submit([.. Enumerable.Range(1, 20)], Greedy));
        Assert.Contains("at most 19", error.Message);
        var budget = new ContinuousBatchScheduler(model, new SchedulerOptions { MaxLength = 64, TokenBudget = 10 }, startThread: false);
        using (budget) Assert.Contains("token budget", Assert.Throws<ArgumentException>(() => budget.Submit([1, 2, 3], Greedy)).Message);
    }

    [Fact]
    public async Task A_cancelled_request_leaves_and_the_others_finish()
    {
        using var model = TinyModels.Create(TinyModels.Llama());
        using var scheduler = new ContinuousBatchScheduler(model, new SchedulerOptions { MaxLength = 64 }, startThread: false);
        using var cancel = new CancellationTokenSource();
        var cancelled = scheduler.Submit([1, 2, 3], new GenerationOptions { MaxNewTokens = 30 }, cancel.Token);
        var kept = scheduler.Submit([4, 5], new GenerationOptions { MaxNewTokens = 12 });
        scheduler.Iterate();
        cancel.Cancel();
        while (scheduler.Iterate()) { }
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.Completion);
        Assert.Equal(Alone(model, [4, 5], new GenerationOptions { MaxNewTokens = 12 }), (await kept.Completion).TokenIds);
    }
}
