using System.Globalization;
using Pipeline.Artifacts;
using Pipeline.Configuration.Evaluation;
using Pipeline.Configuration;
using Pipeline.Data;
using Pipeline.Evaluation.Baselines;
using Pipeline.Evaluation.Planning;
using Pipeline.Evaluation.Prompts;
using Pipeline.Evaluation.Results;
using Pipeline.Orchestration.Runs;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Training.Stages.Evaluation;

/// <summary>The evaluate stage's data: held-out prompts (a file, or the validation split) and the training examples baselines show.</summary>
internal static class EvaluationInputs
{
    public static async Task<IReadOnlyList<EvaluationPrompt>> PromptsAsync(StageContext context, EvaluationSettings settings, StageDataset? dataset, CancellationToken ct)
    {
        IReadOnlyList<EvaluationPrompt> prompts;
        if (settings.Prompts is { } file)
        {
            const string key = $"{EvaluationPlan.StagePath}.prompts";
            if (!InputReference.IsArtifact(file))
                throw new StageFailedException($"{key}: '{file}' is a local path on the machine that submitted the run; submit with `pipeline run` or `pipeline submit`, which upload it.");
            var reference = InputReference.Parse(file);
            var manifest = await context.Artifacts.TryGetManifestAsync(reference.ArtifactId, ct).ConfigureAwait(false)
                           ?? throw new StageFailedException($"{key}: there is no artifact '{reference.ArtifactId}'.");
            var name = reference.FileName ?? manifest.Files.FirstOrDefault()?.Path
                       ?? throw new StageFailedException($"{key}: artifact '{reference.ArtifactId}' holds no file.");
            var local = Path.Combine(context.ScratchDirectory, "prompts", name);
            await context.Artifacts.CopyFileToAsync(reference.ArtifactId, name, local, ct).ConfigureAwait(false);
            try
            {
                prompts = EvaluationPromptFile.Read(local, $"{key} ({name})");
            }
            catch (EvaluationInputException e)
            {
                throw new StageFailedException(e.Message, e);
            }
        }
        else
        {
            var rows = dataset?.Validation ?? [];
            prompts = [.. rows.Select(FromExample).OfType<EvaluationPrompt>()];
            if (prompts.Count == 0)
                throw new StageFailedException($"{EvaluationPlan.StagePath}.prompts: there are no held-out prompts: the dataset's validation split has no conversation " +
                                               "ending in a user turn or an assistant reply; set prompts: to a JSONL file of prompts, or ingest with validation_fraction above 0.");
        }
        return [.. prompts.Take(settings.MaxSamples)];
    }

    /// <summary>A validation row as a prompt: the conversation before its last assistant reply, that reply the reference.</summary>
    private static EvaluationPrompt? FromExample(Example example)
    {
        var messages = example.Messages.ToList();
        string? reference = example.Chosen;
        if (example.Chosen is null && messages.Count > 0 && messages[^1].Role == ChatRoles.Assistant)
        {
            reference = messages[^1].Content;
            messages.RemoveAt(messages.Count - 1);
        }
        if (messages.Count == 0 || messages[^1].Role != ChatRoles.User || string.IsNullOrWhiteSpace(messages[^1].Content)) return null;
        return new EvaluationPrompt(example.Id, messages, reference, new Dictionary<string, string>());
    }

    /// <summary>Training conversations as demonstrations: the last user message and the assistant reply after it.</summary>
    public static IReadOnlyList<Demonstration> Demonstrations(IReadOnlyList<Example> train)
    {
        var demonstrations = new List<Demonstration>();
        foreach (var example in train)
        {
            var messages = example.Messages;
            var answer = example.Chosen ?? (messages.Count > 0 && messages[^1].Role == ChatRoles.Assistant ? messages[^1].Content : null);
            var question = (example.Chosen is null ? messages.Take(messages.Count - 1) : messages).LastOrDefault(m => m.Role == ChatRoles.User)?.Content;
            if (!string.IsNullOrWhiteSpace(answer) && !string.IsNullOrWhiteSpace(question)) demonstrations.Add(new Demonstration(example.Id, question, answer));
        }
        return demonstrations;
    }

    public static IReadOnlyList<string> DescribeSettings(EvaluationSettings settings, EvaluationSummary summary, int prompts) =>
    [
        string.Create(CultureInfo.InvariantCulture, $"{prompts} held-out prompts ({(settings.Prompts is null ? "the dataset's validation split" : "stages.evaluate.prompts")}), up to {settings.MaxNewTokens} new tokens, prompts cut to their last {settings.MaxPromptLength} tokens"),
        (settings.Temperature == 0 ? "greedy decoding for every candidate" : string.Create(CultureInfo.InvariantCulture, $"sampling at temperature {settings.Temperature} with seed {settings.Seed ?? 0} for every candidate")) +
        (settings.DiversitySamples >= 2 ? $"; for diversity also {settings.DiversitySamples} replies per prompt sampled at temperature 1" : ""),
        $"judges: {string.Join(", ", summary.Judges)} (wins decided by {summary.PrimaryJudge}); reference candidate: {summary.Reference}",
    ];
}
