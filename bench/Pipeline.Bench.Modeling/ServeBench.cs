using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Pipeline.Data;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Modeling.Configuration;
using Pipeline.Modeling.Generation;
using Pipeline.Serving.Http;
using Pipeline.Serving.Local;
using Pipeline.Tokenizers;
using Pipeline.Tokenizers.ChatTemplates;
using Spectre.Console;

namespace Pipeline.Bench.Modeling;

/// <summary>
/// `pipeline serve`'s server over HTTP on a real port: completion tokens/s for the same requests sent one at a time
/// in-process (SequenceGenerator, no server: the baseline), and over HTTP at 1, 4 and 16 in flight, in one run.
/// Greedy, a fixed number of new tokens per request, chat prompts of mixed lengths.
/// </summary>
public static class ServeBench
{
    public static async Task<int> RunAsync(int requests, int maxTokens, int rounds = 3)
    {
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 200;
        var folder = Directory.CreateTempSubdirectory("serve-bench-").FullName;
        try
        {
            var loadAtStart = BenchMachine.LoadAverage();
            new ByteLevelBpeTrainer(new ByteLevelBpeTrainerOptions { VocabSize = 1024, ChatTemplateName = "chatml", ModelMaxLength = 512 })
                .Train(Corpus()).Save(folder);
            var tokenizer = TokenizerLoader.Load(folder);
            var config = ModelPresets.Create("tiny", ModelArchitecture.Llama, tokenizer.VocabSize);
            var model = ModelFactory.CreateRandom(config, seed: 0);
            using var served = new ServedModel("quickstart-sized", model, tokenizer, ChatTemplateResolver.FromName("chatml"),
                new SchedulerOptions { MaxBatch = 16, MaxNewTokensPerRequest = maxTokens });
            await using var app = OpenAiServer.Build(served, new ServeOptions { Port = 0 });
            await app.StartAsync();
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First() + "/v1/"), Timeout = TimeSpan.FromMinutes(10) };
            var questions = Enumerable.Range(0, requests).Select(Question).ToList();

            // Baseline: the same prompts, one at a time, straight through the generator (no HTTP, no scheduler).
            var stops = new[] { tokenizer.SpecialTokens.EosId, tokenizer.TokenToId("<|im_end|>") }.OfType<int>().ToList();
            var rendered = questions.Select(q => tokenizer.Encode(served.RenderChat([ChatMessage.FromUser(q)])).ToArray()).ToList();
            SequenceGenerator.Generate(model, [rendered[0]], new GenerationOptions { MaxNewTokens = 4 });   // warm-up
            // Rounds rotate through every configuration, so a change in the machine's load touches all of them; best of each.
            var baseline = (Tokens: 0, Seconds: double.MaxValue);
            var best = new Dictionary<int, (int Tokens, double Seconds)> { [1] = (0, double.MaxValue), [4] = (0, double.MaxValue), [16] = (0, double.MaxValue) };
            await Send(http, questions[0], 4);   // warm-up of the HTTP path
            for (var round = 0; round < rounds; round++)
            {
                var clock = Stopwatch.StartNew();
                var baselineTokens = rendered.Sum(p => SequenceGenerator.Generate(model, [p], new GenerationOptions { MaxNewTokens = maxTokens, EosTokenIds = stops })[0].TokenIds.Length);
                if (clock.Elapsed.TotalSeconds < baseline.Seconds) baseline = (baselineTokens, clock.Elapsed.TotalSeconds);
                foreach (var concurrency in new[] { 1, 4, 16 })
                {
                    using var slots = new SemaphoreSlim(concurrency);
                    clock.Restart();
                    var counts = await Task.WhenAll(questions.Select(async q =>
                    {
                        await slots.WaitAsync();
                        try { return await Send(http, q, maxTokens); }
                        finally { slots.Release(); }
                    }));
                    if (clock.Elapsed.TotalSeconds < best[concurrency].Seconds) best[concurrency] = (counts.Sum(), clock.Elapsed.TotalSeconds);
                }
            }
            var rows = best.Select(b => (Concurrency: b.Key, b.Value.Tokens, b.Value.Seconds)).ToList();

            AnsiConsole.MarkupLine("[bold]Serve benchmark[/] (bench/Pipeline.Bench.Modeling serve)");
            AnsiConsole.WriteLine($"machine: {BenchMachine.CpuName()}, {Environment.ProcessorCount} logical cores; load average at start {loadAtStart}, at end {BenchMachine.LoadAverage()}");
            AnsiConsole.WriteLine($"model: quickstart-sized ({model.parameters().Sum(p => p.numel()) / 1e3:0}k parameters, random init), {requests} chat requests, greedy, up to {maxTokens} new tokens each; best of {rounds} rounds");
            var table = new Table().AddColumns("how", "requests in flight", "completion tokens", "seconds", "tokens/s", "vs sequential in-process");
            string F(double v, string f = "0.0") => v.ToString(f, CultureInfo.InvariantCulture);
            var baseRate = baseline.Tokens / baseline.Seconds;
            table.AddRow("in-process SequenceGenerator, one request at a time", "1", baseline.Tokens.ToString(), F(baseline.Seconds, "0.00"), F(baseRate), "1.00×");
            foreach (var (concurrency, tokens, seconds) in rows)
                table.AddRow("HTTP /v1/chat/completions (pipeline serve)", concurrency.ToString(), tokens.ToString(), F(seconds, "0.00"), F(tokens / seconds), F(tokens / seconds / baseRate, "0.00") + "×");
            AnsiConsole.Write(table);
            AnsiConsole.WriteLine($"scheduler: {served.Scheduler.Statistics}");
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<int> Send(HttpClient http, string question, int maxTokens)
    {
        var response = await http.PostAsJsonAsync("chat/completions", new
        {
            model = "quickstart-sized", max_tokens = maxTokens, temperature = 0,
            messages = new[] { new { role = "user", content = question } },
        });
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["usage"]!["completion_tokens"]!.GetValue<int>();
    }

    private static string Question(int i) => string.Join(' ', Enumerable.Repeat(i % 2 == 0 ? "Where is my refund for order" : "Can you help me change my address", 1 + i % 5)) + $" #{i}?";

    private static IEnumerable<string> Corpus() =>
        Enumerable.Range(0, 200).Select(i => $"Hello, thank you for your message about order {i}. Your refund is on its way; the delivery address can be changed in your account. " +
            "We are sorry the app crashed. Students get a discount. We ship abroad to most countries.");
}
