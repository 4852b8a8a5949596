using System.CommandLine;
using Pipeline.Data;
using Pipeline.Tokenizers;
using Pipeline.Tokenizers.ChatTemplates;
using Pipeline.Training.Reward;
using Spectre.Console;
using TorchSharp;

namespace Pipeline.Cli.Commands.Training;

/// <summary><c>pipeline score --reward-model DIR --prompt P --response R</c>: the reward a trained reward model gives a reply.</summary>
internal static class ScoreCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--reward-model") { Description = "A reward model folder (sequence-classification layout, score.weight).", Required = true };
        var prompt = new Option<string>("--prompt") { Description = "The user's message.", Required = true };
        var responses = new Option<string[]>("--response") { Description = "A reply to score; repeat to compare several.", Required = true, AllowMultipleArgumentsPerToken = false };
        var system = new Option<string?>("--system") { Description = "An optional system prompt." };
        var command = new Command("score", "Score replies to a prompt with a trained reward model.") { model, prompt, responses, system };
        command.SetAction((r, ct) => CliErrors.GuardAsync(() => Task.FromResult(Score(r.GetValue(model)!, r.GetValue(prompt)!, r.GetValue(responses)!, r.GetValue(system)))));
        return command;
    }

    private static int Score(DirectoryInfo folder, string prompt, string[] responses, string? system)
    {
        if (!folder.Exists) throw new DirectoryNotFoundException($"--reward-model: '{folder.FullName}' does not exist.");
        var scores = RewardScorer.Score(folder.FullName, prompt, responses, system);
        var table = new Table().AddColumns("reward", "response");
        foreach (var (response, reward) in responses.Zip(scores)) table.AddRow(reward.ToString("0.0000"), Markup.Escape(response));
        AnsiConsole.Write(table);
        return 0;
    }
}

/// <summary>Loads a reward model with its tokenizer and chat template, and scores (prompt, reply) conversations.</summary>
public static class RewardScorer
{
    public static IReadOnlyList<float> Score(string folder, string prompt, IReadOnlyList<string> responses, string? system = null)
    {
        var tokenizer = TokenizerLoader.Load(folder);
        var template = ChatTemplateResolver.Resolve(null, tokenizer, new DirectoryInfo(folder));
        using var model = RewardModelCheckpoint.Load(folder);
        model.eval();
        var encoder = new PreferencePairEncoder(tokenizer, template, 1024);
        var scores = new List<float>();
        foreach (var response in responses)
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var messages = new List<ChatMessage>();
            if (system is not null) messages.Add(ChatMessage.FromSystem(system));
            messages.Add(ChatMessage.FromUser(prompt));
            messages.Add(ChatMessage.FromAssistant(response));
            var ids = encoder.EncodeConversation(messages).Select(i => (long)i).ToArray();
            scores.Add(model.call(torch.tensor(ids, [1, ids.Length]), null).item<float>());
        }
        return scores;
    }
}
