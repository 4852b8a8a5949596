using System.Diagnostics;
using Pipeline.Configuration;
using Pipeline.Contracts;
using Pipeline.Modeling;
using Pipeline.Training.Loop;
using Pipeline.Training.Sft;

namespace Pipeline.Bench.Training;

/// <summary>
/// Ours: <see cref="SftTrainer.TrainAsync"/> end to end (encoding, the shared TrainingLoop with its schedule, parameter
/// groups, master weights, clipping and progress). A step's time is the interval between two Progress callbacks, so it
/// holds everything the loop does between optimizer steps; the final save of the output folder is outside the steps.
/// </summary>
public static class PipelineSftRun
{
    public static async Task<StepTimes> RunAsync(CausalLanguageModel model, SupportDeskConversations data, TrainingBenchSettings settings, FineTuningMethod method)
    {
        var stamps = new List<long>();
        var losses = new List<double>();
        var output = Directory.CreateTempSubdirectory("bench-sft-").FullName;
        try
        {
            var result = await SftTrainer.TrainAsync(new SftJob
            {
                Model = model, Tokenizer = data.Tokenizer, ChatTemplate = data.ChatTemplate, Train = data.Examples, OutputDirectory = output,
                Hooks = new TrainingHooks { Progress = p => { stamps.Add(Stopwatch.GetTimestamp()); losses.Add(p.Loss); } },
            }, settings.SftSettings(method));
            var tokens = result.Training.Steps.Select(s => s.Tokens).Distinct().ToList();
            if (tokens.Count != 1 || tokens[0] != settings.TokensPerStep)
                throw new InvalidOperationException($"SftTrainer's steps held {string.Join(", ", tokens)} tokens; the benchmark expects {settings.TokensPerStep} in every step.");
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
        // Interval k is step k+1; the intervals after the warm-up steps are timed (the first step has no interval before it and is warm-up anyway).
        var seconds = Enumerable.Range(settings.WarmUpSteps, settings.TimedSteps)
            .Select(step => Stopwatch.GetElapsedTime(stamps[step - 1], stamps[step]).TotalSeconds).ToList();
        return new StepTimes(seconds, settings.TokensPerStep, losses[0], losses[^1]);
    }
}
