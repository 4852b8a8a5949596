using System.Diagnostics;
using Pipeline.Configuration;
using Pipeline.Contracts;
using Pipeline.Data;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Modeling.Configuration;
using Pipeline.Quickstart;
using Pipeline.Quickstart.Data;
using Pipeline.Quickstart.Replies;
using Pipeline.Quickstart.Scenarios;
using Pipeline.Training.Loop;
using Pipeline.Training.Sft;

namespace Pipeline.Bench.Training;

/// <summary>One SftTrainer run on short conversations, padded or packed.</summary>
/// <param name="Rows">Rows in one epoch: one per conversation when padded, fewer when packed.</param>
/// <param name="RealTokensPerStep">Mean non-padding tokens a timed step trained on.</param>
/// <param name="PaddedTokensPerStep">Mean tokens a timed step pushed through the model, padding included (batch × longest row).</param>
/// <param name="RealTokensPerSecond">Real tokens over the timed steps' wall time: the figure packing should raise.</param>
/// <param name="EpochSeconds">Estimated time for one epoch: its steps × the median step time.</param>
public sealed record PackingMeasurement(string Mode, int Rows, double RealTokensPerStep, double PaddedTokensPerStep, double RealTokensPerSecond,
    double MedianStepSeconds, double EpochSeconds);

/// <summary>
/// Padding against packing on single-exchange support-desk conversations (far shorter than max_seq_length, as
/// instruction data usually is): the same model, batch size and step count, SftTrainer both times. The baseline is
/// the padded run in the same process.
/// </summary>
public static class PackingBench
{
    public static async Task<IReadOnlyList<PackingMeasurement>> RunAsync(SupportDeskConversations data, TrainingBenchSettings settings)
    {
        var examples = ShortConversations(400);
        var config = ModelPresets.Create("small", ModelArchitecture.Llama, data.Tokenizer.VocabSize);
        var encoded = new SftEncoder(data.Tokenizer, data.ChatTemplate, settings.PackedSequenceLength).EncodeAll(examples).Sequences;
        return
        [
            await MeasureAsync("padded", encoded, data, examples, settings, packing: false, config),
            await MeasureAsync("packed", SftPacker.Pack(encoded, settings.PackedSequenceLength), data, examples, settings, packing: true, config),
        ];
    }

    /// <param name="rows">The rows SftTrainer is expected to train on (it encodes and packs the examples itself; checked).</param>
    private static async Task<PackingMeasurement> MeasureAsync(string mode, IReadOnlyList<SftSequence> rows, SupportDeskConversations data,
        IReadOnlyList<Example> examples, TrainingBenchSettings settings, bool packing, ModelConfig config)
    {
        var stamps = new List<long>();
        var output = Directory.CreateTempSubdirectory("bench-packing-").FullName;
        try
        {
            var result = await SftTrainer.TrainAsync(new SftJob
            {
                Model = ModelFactory.CreateRandom(config, seed: 0), Tokenizer = data.Tokenizer, ChatTemplate = data.ChatTemplate, Train = examples, OutputDirectory = output,
                Hooks = new TrainingHooks { Progress = _ => stamps.Add(Stopwatch.GetTimestamp()) },
            }, settings.SftSettings(FineTuningMethod.Full) with { MaxSeqLength = settings.PackedSequenceLength, Packing = packing });
            if (result.TrainRows != rows.Count)
                throw new InvalidOperationException($"SftTrainer trained on {result.TrainRows} rows; the benchmark packed {rows.Count}.");

            var timed = Enumerable.Range(settings.WarmUpSteps, settings.TimedSteps).ToList();
            var seconds = timed.Select(step => Stopwatch.GetElapsedTime(stamps[step - 1], stamps[step]).TotalSeconds).ToList();
            var realTokens = timed.Select(step => (double)result.Training.Steps[step].Tokens).ToList();
            var median = seconds.Order().ElementAt(seconds.Count / 2);
            var epochSteps = Math.Ceiling(rows.Count / (double)settings.Batch);
            return new PackingMeasurement(mode, rows.Count, realTokens.Average(), ExpectedPaddedTokensPerStep(rows, settings.Batch),
                realTokens.Sum() / seconds.Sum(), median, epochSteps * median);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>
    /// Tokens through the model a step, padding included: the loop's shuffled order is not visible here, so this is the
    /// epoch's expectation (rows in random batches of batch_size, each padded to its longest row), estimated by sampling.
    /// </summary>
    private static double ExpectedPaddedTokensPerStep(IReadOnlyList<SftSequence> rows, int batch)
    {
        var random = new Random(0);
        var lengths = rows.Select(r => r.InputIds.Count).ToArray();
        double total = 0;
        const int Samples = 2000;
        for (var i = 0; i < Samples; i++)
            total += batch * Enumerable.Range(0, batch).Max(_ => lengths[random.Next(lengths.Length)]);
        return total / Samples;
    }

    /// <summary>One customer message and its house-style reply per conversation, with the quickstart's system prompt.</summary>
    private static List<Example> ShortConversations(int count)
    {
        var systemPrompt = new QuickstartDataOptions().SystemPrompt;
        return [.. new SupportDeskScenarios(seed: 23).Generate(count).Select((m, i) => new Example
        {
            Id = $"short-{i:D4}",
            Messages = [new ChatMessage("system", systemPrompt), new ChatMessage("user", m.Text), new ChatMessage("assistant", HouseStyleReplies.Good(m))],
        })];
    }
}
