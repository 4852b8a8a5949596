using System.ClientModel;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using Pipeline.Cli.Commands.Model;
using Pipeline.Modeling.Generation;
using Pipeline.Serving.Endpoints;
using Pipeline.Serving.Http;
using Pipeline.Serving.Local;

namespace Pipeline.Cli.Tests.Serving;

/// <summary>The server on a real Kestrel port over the tiny Llama that `model init` makes, shared by the tests of this class.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private readonly TempFolder folder = new();
    private WebApplication? app;

    public ServedModel Served { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var model = folder.PathOf("tiny-llama");
        ModelInitializer.Create(model, new ModelInitOptions { Seed = 1 });
        var loaded = LoadedModel.Load(model);
        Served = new ServedModel("tiny-llama", loaded.Model, loaded.Tokenizer, loaded.ChatTemplate(), new SchedulerOptions { MaxBatch = 8, MaxNewTokensPerRequest = 64 });
        app = OpenAiServer.Build(Served, new ServeOptions { Port = 0 });
        await app.StartAsync();
        BaseAddress = new Uri(app.Urls.First() + "/v1/");
    }

    public OpenAIClient OpenAi() => new(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = BaseAddress });

    public async ValueTask DisposeAsync()
    {
        if (app is not null) await app.DisposeAsync();
        Served.Dispose();
        folder.Dispose();
    }
}

public sealed class ServeTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static readonly string[] Questions =
    [
        "Where is my refund?", "Can I change my delivery address?", "My order arrived broken.", "How do I reset my password?",
        "Do you ship abroad?", "Thank you for the help!", "The app crashes on start.", "Is there a discount for students?",
    ];

    private static readonly ChatCompletionOptions Greedy = new() { Temperature = 0, MaxOutputTokenCount = 12 };

    [Fact]
    public async Task The_official_OpenAI_client_gets_the_greedy_reply_the_model_gives_in_process()
    {
        var chat = server.OpenAi().GetChatClient("tiny-llama");
        ChatCompletion completion = await chat.CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage(Questions[0])], Greedy,
            TestContext.Current.CancellationToken);

        var expected = await new LocalChatClient(server.Served).GetResponseAsync(
            [new(ChatRole.System, "Be brief."), new(ChatRole.User, Questions[0])], new ChatOptions { MaxOutputTokens = 12 }, TestContext.Current.CancellationToken);
        Assert.Equal(expected.Text, completion.Content[0].Text);
        Assert.Equal(expected.Usage!.InputTokenCount, completion.Usage.InputTokenCount);
        Assert.Equal(expected.Usage.OutputTokenCount, completion.Usage.OutputTokenCount);
        Assert.True(completion.Usage.OutputTokenCount is > 0 and <= 12);
        Assert.Contains(completion.FinishReason, new[] { OpenAI.Chat.ChatFinishReason.Stop, OpenAI.Chat.ChatFinishReason.Length });
    }

    [Fact]
    public async Task Streaming_with_the_official_client_sends_the_same_text_in_pieces_and_the_usage()
    {
        var chat = server.OpenAi().GetChatClient("tiny-llama");
        var whole = (await chat.CompleteChatAsync([new UserChatMessage(Questions[1])], Greedy, TestContext.Current.CancellationToken)).Value;
        var pieces = new List<string>();
        OpenAI.Chat.ChatTokenUsage? usage = null;
        OpenAI.Chat.ChatFinishReason? finish = null;
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage(Questions[1])], Greedy, TestContext.Current.CancellationToken))
        {
            pieces.AddRange(update.ContentUpdate.Select(p => p.Text));
            usage = update.Usage ?? usage;
            finish = update.FinishReason ?? finish;
        }
        Assert.Equal(whole.Content[0].Text, string.Concat(pieces));
        Assert.True(pieces.Count(p => p.Length > 0) > 1, "the reply came in one piece: nothing was streamed");
        Assert.Equal(whole.FinishReason, finish);
        Assert.NotNull(usage);
        Assert.Equal(whole.Usage.OutputTokenCount, usage.OutputTokenCount);
    }

    [Fact]
    public async Task Concurrent_requests_are_batched_and_give_the_same_greedy_text_as_sequential_ones()
    {
        var chat = server.OpenAi().GetChatClient("tiny-llama");
        var sequential = new List<string>();
        foreach (var question in Questions)
            sequential.Add((await chat.CompleteChatAsync([new UserChatMessage(question)], Greedy, TestContext.Current.CancellationToken)).Value.Content[0].Text);

        var peakBefore = server.Served.Scheduler.Statistics.PeakRows;
        var concurrent = await Task.WhenAll(Questions.Select(async q =>
            (await chat.CompleteChatAsync([new UserChatMessage(q)], Greedy, TestContext.Current.CancellationToken)).Value.Content[0].Text));

        Assert.Equal(sequential, concurrent);
        Assert.True(server.Served.Scheduler.Statistics.PeakRows > 1, $"peak rows {server.Served.Scheduler.Statistics.PeakRows}: the requests never shared a batch");
        _ = peakBefore;
    }

    [Fact]
    public async Task The_Microsoft_Extensions_AI_client_works_through_the_endpoint_with_usage_accounting()
    {
        using var client = OpenAiEndpoint.CreateChatClient(new OpenAiEndpointOptions { Endpoint = server.BaseAddress, Model = "tiny-llama", MaxConcurrency = 2 });
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 10 };
        var response = await client.GetResponseAsync([new(ChatRole.User, Questions[2])], options, TestContext.Current.CancellationToken);
        var local = await new LocalChatClient(server.Served).GetResponseAsync([new(ChatRole.User, Questions[2])], options, TestContext.Current.CancellationToken);
        Assert.Equal(local.Text, response.Text);

        var streamed = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync([new(ChatRole.User, Questions[2])], options, TestContext.Current.CancellationToken))
            streamed.Add(update);
        Assert.Equal(local.Text, string.Concat(streamed.Select(u => u.Text)));

        Assert.Equal(2, client.Usage.Requests);
        Assert.Equal(0, client.Usage.Failures);
        Assert.Equal(2 * local.Usage!.OutputTokenCount, client.Usage.OutputTokens);
        Assert.Equal(2 * local.Usage.InputTokenCount, client.Usage.InputTokens);
    }

    [Fact]
    public async Task Completions_models_health_and_metrics_answer()
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var cancel = TestContext.Current.CancellationToken;
        var models = await server.OpenAi().GetOpenAIModelClient().GetModelsAsync(cancel);
        Assert.Equal(["tiny-llama"], models.Value.Select(m => m.Id));

        var response = await http.PostAsJsonAsync("completions", new { model = "tiny-llama", prompt = "Your order", max_tokens = 6, temperature = 0 }, cancel);
        response.EnsureSuccessStatusCode();
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancel))!;
        var expected = await server.Served.CompleteAsync("Your order", isChat: false, new CompletionSettings { MaxTokens = 6 }, cancel);
        Assert.Equal(expected.Text, body["choices"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(6, body["usage"]!["completion_tokens"]!.GetValue<int>());
        Assert.Equal("length", body["choices"]![0]!["finish_reason"]!.GetValue<string>());

        var streamed = await http.PostAsJsonAsync("completions", new { model = "tiny-llama", prompt = "Your order", max_tokens = 6, stream = true }, cancel);
        var events = (await streamed.Content.ReadAsStringAsync(cancel)).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("data: [DONE]", events[^1]);
        Assert.Equal(expected.Text, string.Concat(events[..^1].Select(e => JsonNode.Parse(e["data: ".Length..])!["choices"]![0]!["text"]!.GetValue<string>())));

        Assert.Equal("Healthy", await http.GetStringAsync("/health", cancel));
        var metrics = await http.GetStringAsync("/metrics", cancel);
        Assert.Contains("serve_requests_total{endpoint=\"completions\"}", metrics);
        Assert.Matches(@"generation_tokens_total [1-9]", metrics);
    }

    [Fact]
    public async Task Bad_requests_get_OpenAI_errors_that_say_what_is_wrong()
    {
        var cancel = TestContext.Current.CancellationToken;
        var unknown = await Assert.ThrowsAsync<ClientResultException>(() =>
            server.OpenAi().GetChatClient("gpt-4o").CompleteChatAsync([new UserChatMessage("hi")], Greedy, cancel));
        Assert.Equal(404, unknown.Status);
        Assert.Contains("tiny-llama", unknown.Message);

        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var missing = await http.PostAsJsonAsync("chat/completions", new { model = "tiny-llama" }, cancel);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var error = JsonNode.Parse(await missing.Content.ReadAsStringAsync(cancel))!["error"]!;
        Assert.Contains("'messages' is required", error["message"]!.GetValue<string>());
        var hot = await http.PostAsJsonAsync("completions", new { prompt = "x", temperature = -1 }, cancel);
        Assert.Equal(HttpStatusCode.BadRequest, hot.StatusCode);
    }
}

/// <summary>`pipeline serve` as a user runs it: its own process, a real port, the official client.</summary>
public sealed class ServeProcessTests(TinyModelFolders models)
{
    [Fact]
    public async Task Pipeline_serve_answers_the_official_client_and_stops()
    {
        var cancel = TestContext.Current.CancellationToken;
        var cli = Path.Combine(AppContext.BaseDirectory, "pipeline.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet", ["exec", cli, "serve", "--model", models.Llama.Directory, "--port", "0"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(TimeSpan.FromMinutes(3));
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException(await process.StandardError.ReadToEndAsync(cancel));
            Assert.StartsWith("Serving llama on http://127.0.0.1:", line);
            var endpoint = new Uri(line.Split(' ')[3]);
            var chat = new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = endpoint }).GetChatClient("llama");
            var reply = await chat.CompleteChatAsync([new UserChatMessage("Where is my refund?")], new ChatCompletionOptions { MaxOutputTokenCount = 5 }, timeout.Token);
            Assert.True(reply.Value.Usage.OutputTokenCount is > 0 and <= 5);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(cancel);
        }
    }

    [Fact]
    public async Task A_missing_model_folder_is_an_error_for_people()
    {
        Assert.Equal(1, await CommandRunner.RunQuietAsync("serve", "--model", "/nonexistent/model", "--port", "0"));
    }
}
