using System.CommandLine;
using Pipeline.Configuration;
using Pipeline.Configuration.Pretraining;
using Pipeline.Training.Loop;
using Pipeline.Training.Pretraining;
using Spectre.Console;

namespace Pipeline.Cli.Commands.Training;

/// <summary>
/// <c>pipeline pretrain --corpus FILE OUT</c>: a small base model from scratch (byte-level BPE tokenizer trained on
/// the corpus, next-token prediction, AdamW, warmup then cosine, clipping, checkpoints), saved in Hugging Face layout.
/// The same trainer is the run config's pretrain stage.
/// </summary>
internal static class PretrainCommand
{
    public static Command Create()
    {
        var output = new Argument<DirectoryInfo>("OUT") { Description = "Folder for the new model (config.json, model.safetensors, tokenizer files)." };
        var corpus = new Option<FileInfo[]>("--corpus") { Description = "Plain-text corpus files (documents separated by blank lines).", Required = true };
        var preset = new Option<PretrainPreset>("--preset") { Description = "Model size.", DefaultValueFactory = _ => PretrainPreset.Tiny };
        var arch = new Option<PretrainArchitecture>("--arch") { Description = "Architecture.", DefaultValueFactory = _ => PretrainArchitecture.Llama };
        var steps = new Option<int>("--steps") { Description = "Optimizer steps.", DefaultValueFactory = _ => new PretrainSettings().MaxSteps };
        var vocab = new Option<int>("--vocab-size") { Description = "Tokenizer vocabulary.", DefaultValueFactory = _ => new PretrainSettings().VocabSize };
        var context = new Option<int>("--context-length") { Description = "Tokens per training sequence.", DefaultValueFactory = _ => new PretrainSettings().ContextLength };
        var batch = new Option<int>("--batch-size") { Description = "Sequences per step.", DefaultValueFactory = _ => new PretrainSettings().BatchSize };
        var lr = new Option<double>("--learning-rate") { Description = "Peak learning rate.", DefaultValueFactory = _ => new PretrainSettings().LearningRate };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 42 };
        var command = new Command("pretrain", "Train a small base model from scratch on a text corpus.") { output, corpus, preset, arch, steps, vocab, context, batch, lr, seed };
        command.SetAction((r, ct) => CliErrors.GuardAsync(() => RunAsync(r.GetValue(output)!, r.GetValue(corpus)!, new PretrainSettings
        {
            Corpus = r.GetValue(corpus)!.Select(f => f.FullName).ToList(),
            Preset = r.GetValue(preset), Architecture = r.GetValue(arch), MaxSteps = r.GetValue(steps), VocabSize = r.GetValue(vocab),
            ContextLength = r.GetValue(context), BatchSize = r.GetValue(batch), LearningRate = r.GetValue(lr), Seed = r.GetValue(seed),
        }, ct)));
        return command;
    }

    private static async Task<int> RunAsync(DirectoryInfo output, FileInfo[] corpus, PretrainSettings settings, CancellationToken ct)
    {
        foreach (var file in corpus)
            if (!file.Exists) throw new FileNotFoundException($"--corpus: '{file.FullName}' does not exist.", file.FullName);
        PretrainResult? result = null;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("pretrain", maxValue: settings.MaxSteps);
                var hooks = new TrainingHooks
                {
                    Progress = p =>
                    {
                        task.Value = p.Step;
                        task.Description = $"pretrain step {p.Step}/{p.TotalSteps} loss {p.Loss:0.000} {p.TokensPerSecond:0} tok/s";
                    },
                };
                result = await Pretrainer.TrainAsync(settings.Corpus, settings, output.FullName, hooks, ct);
            });
        foreach (var (name, value) in result!.Metrics.OrderBy(m => m.Key)) AnsiConsole.MarkupLine($"  {name} = {value:0.####}");
        AnsiConsole.MarkupLine($"[green]base model written to[/] {Markup.Escape(output.FullName)}");
        return 0;
    }
}
