using System.CommandLine;
using Pipeline.Cli.Commands;
using Pipeline.Cli.Commands.Feedback;
using Pipeline.Cli.Commands.Model;
using Pipeline.Cli.Commands.Training;

// `pipeline`: run a whole pipeline embedded, submit one to the API, follow runs, browse artifacts.
var root = new RootCommand("LLM post-training pipeline: ingestion, synthesis, SFT, reward model, PPO/DPO, evaluation.");
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(SubmitCommand.Create());
root.Subcommands.Add(StatusCommand.Create());
root.Subcommands.Add(ReportCommand.Create());
root.Subcommands.Add(EvaluateCommand.Create());
root.Subcommands.Add(ArtifactsCommand.Create());
foreach (var command in ModelCommands.Create()) root.Subcommands.Add(command);
root.Subcommands.Add(PretrainCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(ScoreCommand.Create());
root.Subcommands.Add(FeedbackCommand.Create());
return await root.Parse(args).InvokeAsync();
