using System.CommandLine;
using Pipeline.Configuration;
using Pipeline.Contracts;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Cli.Commands.Training;

/// <summary>
/// <c>pipeline train sft|rm CONFIG</c>: one training stage of a run config, on this machine, with a progress bar
/// (step, loss, ETA). Its inputs (<c>inputs.base_model</c>, <c>inputs.dataset</c>, ...) are local folders or artifacts.
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var command = new Command("train", "Run one training stage of a run config on this machine.");
        command.Subcommands.Add(Stage("sft", StageNames.Sft, "Supervised fine-tuning (the config's stages.sft, inputs.base_model and inputs.dataset)."));
        command.Subcommands.Add(Stage("rm", StageNames.RewardModel, "Reward model (the config's stages.reward_model, inputs.sft_model or base_model, and inputs.preferences or dataset)."));
        return command;
    }

    private static Command Stage(string name, string stage, string description)
    {
        var config = new Argument<FileInfo>("CONFIG") { Description = "A run config with the stage's section and its inputs." };
        var artifacts = new Option<string?>("--artifacts") { Description = "Artifact folder (default: the config's 'artifacts' key, else ./artifacts)." };
        var command = new Command(name, description) { config, artifacts };
        command.SetAction((r, ct) => CliErrors.GuardAsync(() =>
            RunCommand.RunAsync(r.GetValue(config)!, r.GetValue(artifacts), yaml => OnlyStage(yaml, stage, r.GetValue(config)!.Name), ct)));
        return command;
    }

    /// <summary>
    /// The config with every other stage removed (so only this stage's inputs must be present), validated;
    /// an error when the stage is not in it.
    /// </summary>
    public static string OnlyStage(string yaml, string stage, string source)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(yaml)) stream.Load(reader);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("stages"), out var node) || node is not YamlMappingNode stages
            || !stages.Children.ContainsKey(new YamlScalarNode(stage)))
            throw new CliException($"{source}: there is no stages.{stage} section to train; add one (it may be empty: '{stage}: {{}}').");
        foreach (var key in stages.Children.Keys.OfType<YamlScalarNode>().Where(k => k.Value != stage).ToList()) stages.Children.Remove(key);
        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        var narrowed = writer.ToString();
        RunConfigLoader.Parse(narrowed, source);
        return narrowed;
    }
}
