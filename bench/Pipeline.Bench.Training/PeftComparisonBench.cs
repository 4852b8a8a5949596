using System.Diagnostics;
using System.Globalization;
using Pipeline.Bench.Modeling;
using Pipeline.Configuration;
using Pipeline.Configuration.Pretraining;
using Pipeline.Contracts;
using Pipeline.Data;
using Pipeline.Modeling;
using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Modeling.Generation;
using Pipeline.Quickstart;
using Pipeline.Quickstart.Corpus;
using Pipeline.Quickstart.Data;
using Pipeline.Quickstart.Labeling;
using Pipeline.Quickstart.Replies;
using Pipeline.Quickstart.Scenarios;
using Pipeline.Tokenizers;
using Pipeline.Tokenizers.ChatTemplates;
using Pipeline.Training.Alignment.Rollouts;
using Pipeline.Training.Loop;
using Pipeline.Training.Pretraining;
using Pipeline.Training.Sft;
using Spectre.Console;
using TorchSharp;
using ChatMessage = Pipeline.Data.ChatMessage;

namespace Pipeline.Bench.Training;

/// <summary>One method's row of the comparison.</summary>
public sealed record PeftRow(string Method, long Trainable, long Total, double PeakMiB, double TokensPerSecond, double EvalLoss, double LabelerScore,
    double Seconds, bool Merges);

/// <summary>
/// Every fine-tuning method on the quickstart task, side by side: pretrain the quickstart's tiny base (stage 0), then
/// for each method SFT a fresh copy on the same support-desk conversations, save its output (PEFT folder or model),
/// load that folder on a fresh base, and have the simulated labeler (house_style) score its greedy replies to held-out
/// customer messages. One process; the peak resident memory is reset (/proc/self/clear_refs) before each method.
/// </summary>
public static class PeftComparisonBench
{
    public static async Task<int> RunAsync(PeftComparisonSettings settings)
    {
        var clock = Stopwatch.StartNew();
        var loadAtStart = BenchMachine.LoadAverage();
        using var work = new WorkFolder();

        // 1. the quickstart's data: one stream of messages split into held-out prompts, validation and SFT conversations
        Progress("quickstart data and pretraining corpus");
        var data = new QuickstartDataOptions();
        var messages = new SupportDeskScenarios(data.Seed).Generate(settings.EvalPrompts + settings.ValidationExamples + settings.SftExamples);
        var heldOut = messages.Take(settings.EvalPrompts).ToList();
        var validation = messages.Skip(settings.EvalPrompts).Take(settings.ValidationExamples).Select((m, i) => Conversation(data.SystemPrompt, m, $"val-{i}")).ToList();
        var train = messages.Skip(settings.EvalPrompts + settings.ValidationExamples).Select((m, i) => Conversation(data.SystemPrompt, m, $"sft-{i}")).ToList();
        var corpus = Path.Combine(work.Path, QuickstartDataFiles.Pretraining);
        PretrainingCorpus.Write(corpus, data.Seed, settings.PretrainingBytes, heldOut.Select(m => m.Text).ToHashSet(StringComparer.Ordinal));

        // 2. the base: stage 0 as the quickstart runs it
        Progress($"pretraining the tiny base ({settings.PretrainSteps} steps)");
        var baseDirectory = Path.Combine(work.Path, "base");
        await Pretrainer.TrainAsync([corpus], new PretrainSettings { MaxSteps = settings.PretrainSteps, Seed = 42 }, baseDirectory, new TrainingHooks());
        var tokenizer = TokenizerLoader.Load(baseDirectory);
        var template = ChatTemplateResolver.Resolve(null, tokenizer, new DirectoryInfo(baseDirectory));
        var prompts = AlignmentPrompts.From(heldOut.Select((m, i) => Conversation(data.SystemPrompt, m, $"eval-{i}")), tokenizer, template, 128);
        var stops = RolloutSampler.StopTokens(tokenizer, template.EndOfTurnToken);
        var pad = tokenizer.SpecialTokens.PadId ?? tokenizer.SpecialTokens.EosId ?? 0;
        var baseScore = Score(CausalLmLoader.Load(baseDirectory), tokenizer, stops, pad, prompts, heldOut, settings);

        // 3. every method on a fresh copy of the base
        var rows = new List<PeftRow>();
        foreach (var (name, sft) in settings.Methods)
        {
            Progress($"{name}: SFT");
            var output = Path.Combine(work.Path, name.Replace(' ', '-').Replace("(", "").Replace(")", ""));
            var model = CausalLmLoader.Load(baseDirectory);
            ProcessMemory.TryResetPeak();
            var started = Stopwatch.StartNew();
            var result = await SftTrainer.TrainAsync(new SftJob
            {
                Model = model, Tokenizer = tokenizer, ChatTemplate = template, Train = train, Validation = validation,
                OutputDirectory = output, BaseModelNameOrPath = baseDirectory,
            }, sft);
            var seconds = started.Elapsed.TotalSeconds;
            var peak = ProcessMemory.Peak() / (1024.0 * 1024);
            model.Dispose();

            Progress($"{name}: greedy replies of the saved output");
            var saved = result.SavedAdapter ? PeftAdapters.Load(CausalLmLoader.Load(baseDirectory), output) : CausalLmLoader.Load(output);
            var score = Score(saved, tokenizer, stops, pad, prompts, heldOut, settings);
            rows.Add(new PeftRow(name, result.Trainable.TrainableParameters, result.Trainable.TotalParameters, peak,
                result.Metrics[MetricNames.TokensPerSecond], result.Metrics.GetValueOrDefault(MetricNames.EvalLoss, double.NaN), score, seconds,
                PeftAdapters.CanMerge(sft.Method) || !result.SavedAdapter));
        }

        // 4. the table
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 200;
        var config = CausalLmLoader.Load(baseDirectory).Config;
        AnsiConsole.MarkupLine("[bold]Fine-tuning methods on the quickstart task[/] (bench/Pipeline.Bench.Training peft)");
        AnsiConsole.WriteLine($"machine: {BenchMachine.CpuName()}, {Environment.ProcessorCount} logical cores; libtorch {torch.__version__}, {torch.get_num_threads()} intra-op threads");
        AnsiConsole.WriteLine($"load average at start: {loadAtStart}; at end: {BenchMachine.LoadAverage()}; whole run {clock.Elapsed.TotalMinutes:0.0} min");
        AnsiConsole.WriteLine($"base: the quickstart's stage 0, Llama tiny (hidden {config.HiddenSize}, {config.NumLayers} layers, {config.NumHeads} heads / {config.NumKvHeads} kv, " +
            $"vocab {config.VocabSize}), {settings.PretrainSteps} steps on a {settings.PretrainingBytes / 1000} kB corpus; greedy replies of the base score {F(baseScore, "0.000")}");
        AnsiConsole.WriteLine($"SFT: {train.Count} support-desk conversations (house-style replies), 1 epoch, batch 16, max_seq_length 192, fp32, CPU; " +
            $"eval_loss on {validation.Count} held-out conversations; labeler = house_style on greedy replies (≤ {settings.MaxNewTokens} tokens) to {prompts.Count} held-out messages, " +
            "generated by the saved output loaded on a fresh base");
        AnsiConsole.WriteLine();
        var table = new Table().AddColumns("method", "trainable params", "trainable %", "peak RSS MiB", "tokens/s", "eval_loss", "labeler score", "SFT s", "merges");
        foreach (var r in rows)
            table.AddRow(r.Method, r.Trainable.ToString("N0", CultureInfo.InvariantCulture), F(100.0 * r.Trainable / r.Total, "0.00"), F(r.PeakMiB, "0"),
                F(r.TokensPerSecond, "0"), F(r.EvalLoss, "0.000"), F(r.LabelerScore, "0.000"), F(r.Seconds, "0"), r.Merges ? "yes" : "no (additive)");
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine("peak RSS = the process's peak resident set during that method's SFT (reset before it), base model and data included. " +
            "tokens/s = SftTrainer's tokens_per_second (real tokens). merges: whether the adapter folds into the base weights (model merge).");
        return 0;
    }

    private static Example Conversation(string systemPrompt, CustomerMessage message, string id) => new()
    {
        Id = id,
        Messages = [new ChatMessage("system", systemPrompt), new ChatMessage("user", message.Text), new ChatMessage("assistant", HouseStyleReplies.Good(message))],
    };

    /// <summary>Mean house-style score of the model's greedy replies to the held-out messages.</summary>
    private static double Score(CausalLanguageModel model, ITextTokenizer tokenizer, IReadOnlyList<int> stops, int pad,
        IReadOnlyList<AlignmentPrompt> prompts, IReadOnlyList<CustomerMessage> messages, PeftComparisonSettings settings)
    {
        using (model)
        {
            model.eval();
            var replies = new RolloutSampler(model, tokenizer, stops, pad).Sample(prompts, new GenerationOptions { MaxNewTokens = settings.MaxNewTokens }, 16, 0);
            return replies.Zip(messages, (reply, message) => SimulatedLabeler.Default.Score(message, reply.CompletionText).Score).Average();
        }
    }

    private static void Progress(string what) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {what}…");

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private sealed class WorkFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("peft-bench-").FullName;
        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
