using System.Diagnostics;
using System.Text.Json;
using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;
using Pipeline.Data;
using Pipeline.Modeling;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Quickstart;
using Pipeline.Quickstart.Labeling;
using Pipeline.Tokenizers.ChatTemplates;
using Pipeline.Training.Alignment.Dpo;
using Pipeline.Training.Alignment.Grpo;
using Pipeline.Training.Alignment.Loop;
using Pipeline.Training.Alignment.Ppo;
using Pipeline.Training.Alignment.Rewards;
using Pipeline.Training.Loop;
using Pipeline.Training.Reward;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Bench.Alignment;

/// <summary>One row's measurements, printed by the child process as one JSON line.</summary>
public sealed record RowResult(string Algorithm, string Method, long PolicyParameters, double RolloutTokensPerSecond, double ForwardTokensPerSecond,
    double RolloutSeconds, double ScoreSeconds, double UpdateSeconds, double StepSeconds, double TrainTokensPerSecond, double BaselineMiB, double PeakMiB);

/// <summary>Runs one (algorithm, method) in this process: 1 warm-up step, then <see cref="TimedSteps"/> timed ones.</summary>
public static class AlignmentRow
{
    public const int TimedSteps = 3;

    private sealed class HouseStyle : IRewardFunction
    {
        public string Name => "house_style";
        public double Score(IReadOnlyList<ChatMessage> prompt, string completion) =>
            SimulatedLabeler.Default.Score(prompt.LastOrDefault(m => m.Role == ChatRoles.User)?.Content ?? "", completion).Score;
    }

    public static async Task<int> RunAsync(string algorithm, string method)
    {
        var data = AlignmentData.Create();
        var fineTuning = method == "lora" ? FineTuningMethod.Lora : FineTuningMethod.Full;
        var lora = new LoraSettings { R = 16, Alpha = 32, Dropout = 0 };
        CausalLanguageModel Policy() => ModelFactory.CreateRandom(data.Config, seed: 0);
        var forward = ForwardThroughput(data, batch: 16, length: 96);
        var baseline = ResidentMiB("VmRSS");

        var steps = new List<(double Seconds, IReadOnlyDictionary<string, double>? Metrics, double TokensPerSecond)>();
        var clock = Stopwatch.StartNew();
        var hooks = new TrainingHooks
        {
            Progress = p => { steps.Add((clock.Elapsed.TotalSeconds, p.Metrics, p.TokensPerSecond)); clock.Restart(); },
        };
        using var folder = new TempFolder();
        var policy = Policy();
        var parameters = policy.parameters().Sum(p => p.numel());
        if (algorithm == "dpo")
        {
            clock.Restart();
            await DpoTrainer.TrainAsync(new DpoJob
            {
                Policy = policy, LoadReference = Policy, Tokenizer = data.Tokenizer, ChatTemplate = data.Template, Train = data.Pairs,
                OutputDirectory = folder.Sub("out"), Hooks = hooks,
            }, new DpoSettings { Seed = 1, MaxSteps = TimedSteps + 1, BatchSize = 8, LearningRate = 1e-5, Method = fineTuning, Lora = lora, EvalEvery = 0, MaxSeqLength = 160, Dtype = TrainingDtype.Float32 });
        }
        else
        {
            var rewardModel = RewardModel.FromCausalLm(ModelFactory.CreateRandom(data.Config, seed: 1), 1);
            var catalog = new RewardSourceCatalog([new HouseStyle()], () => new RewardModelSource(rewardModel, data.Tokenizer, data.Template, 256, 16));
            var rewards = new[] { new RewardSourceSettings { Source = "reward_model" }, new RewardSourceSettings { Source = "house_style" } };
            var job = new OnlineAlignmentJob
            {
                Policy = policy, LoadReference = Policy, Tokenizer = data.Tokenizer, ChatTemplate = data.Template, Train = data.Prompts, Rewards = catalog,
                OutputDirectory = folder.Sub("out"), Hooks = hooks, Stage = algorithm,
            };
            clock.Restart();
            if (algorithm == "ppo")
                await PpoTrainer.TrainAsync(job, new PpoSettings
                {
                    Seed = 1, MaxSteps = TimedSteps + 1, RolloutBatchSize = 16, MiniBatchSize = 8, BatchSize = 8, PpoEpochs = 2, MaxNewTokens = 32,
                    Rewards = rewards, Method = fineTuning, Lora = lora, EvalEvery = 0, Dtype = TrainingDtype.Float32, LearningRate = 1e-5,
                });
            else
                await GrpoTrainer.TrainAsync(job, new GrpoSettings
                {
                    Seed = 1, MaxSteps = TimedSteps + 1, PromptsPerStep = 4, NumGenerations = 4, BatchSize = 8, MaxNewTokens = 32,
                    Rewards = rewards, Method = fineTuning, Lora = lora, EvalEvery = 0, Dtype = TrainingDtype.Float32, LearningRate = 1e-5,
                });
        }

        var timed = steps.Skip(1).ToList();
        double Mean(string name) => timed.Count == 0 || timed[0].Metrics is null || !timed[0].Metrics!.ContainsKey(name) ? 0 : timed.Average(s => s.Metrics![name]);
        var result = new RowResult(algorithm, method, parameters, Mean(MetricNames.TokensPerSecond), forward,
            Mean(MetricNames.TimingRollout), Mean(MetricNames.TimingScore), Mean(MetricNames.TimingUpdate),
            timed.Average(s => s.Seconds), timed.Average(s => s.TokensPerSecond), baseline, ResidentMiB("VmHWM"));
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    /// <summary>The same model's forward pass over a (batch, length) block of tokens, no gradients: the compute limit for decoding that batch.</summary>
    private static double ForwardThroughput(AlignmentData data, int batch, int length)
    {
        using var model = ModelFactory.CreateRandom(data.Config, seed: 0);
        model.eval();
        using var noGrad = no_grad();
        var times = new List<double>();
        for (var i = 0; i < 4; i++)
        {
            using var scope = NewDisposeScope();
            var ids = randint(0, data.Config.VocabSize, [batch, length], ScalarType.Int64);
            var started = Stopwatch.GetTimestamp();
            model.Forward(ids).Logits.sum().item<float>();
            times.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        return batch * length / times.Skip(1).Order().ElementAt(1);
    }

    private static double ResidentMiB(string field) =>
        File.ReadLines("/proc/self/status").Where(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(':')[1].Trim().Split(' ')[0]) / 1024).FirstOrDefault();

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("alignment-bench-").FullName;
        public string Sub(string name) => System.IO.Path.Combine(Path, name);
        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
