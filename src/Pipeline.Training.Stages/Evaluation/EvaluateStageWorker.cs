using System.Diagnostics;
using System.Text.Json;
using Pipeline.Artifacts;
using Pipeline.Configuration;
using Pipeline.Configuration.Evaluation;
using Pipeline.Configuration.Json;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;
using Pipeline.Evaluation.Planning;
using Pipeline.Evaluation.Prompts;
using Pipeline.Evaluation.Report;
using Pipeline.Evaluation.Results;
using Pipeline.Orchestration.Runs;
using Pipeline.Orchestration.Stages;
using Pipeline.Training.Alignment.Rewards;
using Pipeline.Training.Datasets;
using Pipeline.Training.Stages.Alignment;

namespace Pipeline.Training.Stages.Evaluation;

/// <summary>
/// The evaluate stage: every candidate (the run's models, models from folders, and the prompt-only baselines on the
/// untrained model) answers the same held-out prompts with the same decoding; every judge scores the replies; the report
/// compares them with bootstrap intervals, checks RL-trained policies for reward hacking, and shows the run's lineage,
/// data card and metric histories. One candidate per slice, checkpointed, so a killed replica loses at most one.
/// </summary>
public sealed class EvaluateStageWorker(IEnumerable<IRewardFunction> rewardFunctions) : IStageWorker
{
    public const string ResultsFile = "results.json";

    private readonly IReadOnlyList<IRewardFunction> functions = [.. rewardFunctions];

    public string Stage => StageNames.Evaluate;

    public async Task<StageOutcome> RunAsync(StageContext context, CancellationToken ct)
    {
        var settings = StageSettingsJson.Deserialize<EvaluationSettings>(context.SettingsJson);
        // 1. Everything a person can get wrong is checked before any model is loaded.
        var judges = await AlignmentInputs.RewardSourcesAsync(context, functions, needsRewardModel: true,
            settings.MaxPromptLength + settings.MaxNewTokens, settings.BatchSize, ct).ConfigureAwait(false);
        var (plan, prompts, examples) = await PrepareAsync(context, settings, judges, ct).ConfigureAwait(false);

        // 2. The candidates finished by earlier slices.
        var state = await LoadStateAsync(context, ct).ConfigureAwait(false);
        var finished = state.Finished.ToList();
        var next = plan.Candidates.FirstOrDefault(c => finished.All(f => f.Name != c.Name));
        if (next is not null)
        {
            // 3. One candidate per slice, then a checkpoint: a replica killed mid-way loses only this candidate.
            context.Progress.Report((double)finished.Count / plan.Candidates.Count, finished.Count, plan.Candidates.Count,
                $"candidate {finished.Count + 1}/{plan.Candidates.Count}: {next.Name}");
            var watch = Stopwatch.StartNew();
            CandidateAnswers answers;
            try
            {
                answers = await new CandidateRunner(context, settings, plan, judges, functions, prompts, examples).RunAsync(next, ct).ConfigureAwait(false);
            }
            finally
            {
                // The reward model is loaded per slice (each slice may run on another replica); free it with the slice.
                if (plan.Judges.Contains(RewardSourceSettings.RewardModelSource) && judges.Names.Contains(RewardSourceSettings.RewardModelSource)
                    && judges.Resolve(RewardSourceSettings.RewardModelSource) is RewardModelSource rewardModel)
                    rewardModel.Model.Dispose();
            }
            finished.Add(answers with { Seconds = watch.Elapsed.TotalSeconds });
            await SaveStateAsync(context, new EvaluationState { Finished = finished }, ct).ConfigureAwait(false);
            // Each finished candidate's mean scores reach /metrics (pipeline_stage_metric) while the stage runs.
            context.Progress.Report((double)finished.Count / plan.Candidates.Count, finished.Count, plan.Candidates.Count,
                $"candidate {finished.Count}/{plan.Candidates.Count} done: {next.Name}",
                plan.Judges.ToDictionary(j => $"eval/{next.Name}/{j}", j => answers.Answers.Select(a => a.Scores[j]).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average()));
            if (finished.Count < plan.Candidates.Count) return StageOutcome.Continue();
        }

        // 4. Every candidate is done: the report.
        var ordered = plan.Candidates.Select(c => finished.Single(f => f.Name == c.Name)).ToList();
        var summary = EvaluationScoring.Summarize(prompts, ordered, plan.Judges, plan.Reference,
            plan.Judges.Contains(RewardSourceSettings.RewardModelSource) ? RewardSourceSettings.RewardModelSource : null, settings.Seed ?? 0);
        var reportId = $"{context.ArtifactPrefix}/report";
        await WriteReportAsync(context, settings, summary, prompts, ordered, reportId, ct).ConfigureAwait(false);
        return StageOutcome.Done(new Dictionary<string, ArtifactRef> { [ArtifactRoles.Report] = new(reportId, ArtifactKind.Report) }, Metrics(summary));
    }

    private static async Task<(EvaluationPlan Plan, IReadOnlyList<EvaluationPrompt> Prompts, IReadOnlyList<Pipeline.Evaluation.Baselines.Demonstration> Examples)> PrepareAsync(
        StageContext context, EvaluationSettings settings, RewardSourceCatalog judges, CancellationToken ct)
    {
        EvaluationPlan plan;
        try
        {
            plan = EvaluationPlan.Create(settings, [.. context.Inputs.Keys], judges.Names);
        }
        catch (EvaluationInputException e)
        {
            throw new StageFailedException(e.Message, e);
        }
        for (var i = 0; i < settings.Models.Count; i++) await CheckModelFolderAsync(context, settings.Models[i], i, ct).ConfigureAwait(false);

        StageDataset? dataset = context.Inputs.ContainsKey(ArtifactRoles.Dataset)
            ? await StageDataset.LoadAsync(context, ArtifactRoles.Dataset, ct).ConfigureAwait(false)
            : null;
        var prompts = await EvaluationInputs.PromptsAsync(context, settings, dataset, ct).ConfigureAwait(false);
        var examples = dataset is null ? [] : EvaluationInputs.Demonstrations(dataset.Train);
        if (examples.Count == 0 && settings.Baselines.Any(b => b is BaselineKind.FewShot or BaselineKind.Rag))
            throw new StageFailedException($"{EvaluationPlan.StagePath}.baselines: few_shot and rag need training examples (user message and assistant reply), " +
                                           "but the dataset's train split has none; remove them from baselines or give the run a dataset of conversations.");
        return (plan, prompts, examples);
    }

    /// <summary>A folder candidate must be a model: config.json and safetensors weights in its artifact.</summary>
    private static async Task CheckModelFolderAsync(StageContext context, EvaluationModel model, int index, CancellationToken ct)
    {
        var key = $"{EvaluationPlan.StagePath}.models[{index}].path";
        if (!InputReference.IsArtifact(model.Path))
            throw new StageFailedException($"{key}: '{model.Path}' is a local path on the machine that submitted the run; submit with `pipeline run` or `pipeline submit`, which upload it.");
        var reference = InputReference.Parse(model.Path);
        var manifest = await context.Artifacts.TryGetManifestAsync(reference.ArtifactId, ct).ConfigureAwait(false)
                       ?? throw new StageFailedException($"{key}: there is no artifact '{reference.ArtifactId}'.");
        var missing = new List<string>();
        if (manifest.FindFile("config.json") is null) missing.Add("config.json");
        if (!manifest.Files.Any(f => f.Path.EndsWith(".safetensors", StringComparison.Ordinal) && !f.Path.StartsWith("adapter_", StringComparison.Ordinal))) missing.Add("model weights (*.safetensors)");
        if (manifest.FindFile("tokenizer.json") is null && manifest.FindFile("tokenizer.model") is null && manifest.FindFile("vocab.json") is null) missing.Add("tokenizer files");
        if (missing.Count > 0)
            throw new StageFailedException($"{key}: the folder for candidate '{model.Name}' is not a model: it has no {string.Join(", no ", missing)} " +
                                           $"(it holds {string.Join(", ", manifest.Files.Take(5).Select(f => f.Path))}{(manifest.Files.Count > 5 ? ", ..." : "")}). " +
                                           "Point it at a Hugging Face model folder; merge an adapter first with `pipeline model merge`.");
    }

    private static async Task<EvaluationState> LoadStateAsync(StageContext context, CancellationToken ct)
    {
        if (context.Checkpoints.LatestId is null) return new EvaluationState();
        var stream = await context.Checkpoints.OpenLatestAsync(EvaluationState.FileName, ct).ConfigureAwait(false);
        await using var streamScope = stream.ConfigureAwait(false);
        return await JsonSerializer.DeserializeAsync<EvaluationState>(stream, EvaluationJson.Options, ct).ConfigureAwait(false) ?? new EvaluationState();
    }

    private static Task SaveStateAsync(StageContext context, EvaluationState state, CancellationToken ct) =>
        context.Checkpoints.SaveAsync(async writer =>
        {
            var stream = await writer.OpenWriteAsync(EvaluationState.FileName, ct).ConfigureAwait(false);
            await using var streamScope = stream.ConfigureAwait(false);
            await JsonSerializer.SerializeAsync(stream, state, EvaluationJson.Options, ct).ConfigureAwait(false);
        }, ct);

    private static async Task WriteReportAsync(StageContext context, EvaluationSettings settings, EvaluationSummary summary,
        IReadOnlyList<EvaluationPrompt> prompts, IReadOnlyList<CandidateAnswers> candidates, string reportId, CancellationToken ct)
    {
        if (await context.Artifacts.ExistsAsync(reportId, ct).ConfigureAwait(false)) return; // committed by a slice that then died
        var roots = context.Inputs.Values.Select(a => a.Id)
            .Concat(settings.Models.Select(m => InputReference.Parse(m.Path).ArtifactId))
            .Concat(settings.Prompts is { } p && InputReference.IsArtifact(p) ? [InputReference.Parse(p).ArtifactId] : [])
            .Distinct().ToList();
        var lineage = await ReportSources.LineageAsync(context.Artifacts, roots, ct).ConfigureAwait(false);
        var report = new RunReport
        {
            Title = "Evaluation report",
            RunId = context.RunId,
            Settings = EvaluationInputs.DescribeSettings(settings, summary, prompts.Count),
            Lineage = lineage,
            DataCard = context.Inputs.TryGetValue(ArtifactRoles.Dataset, out var dataset)
                ? await ReportSources.DataCardAsync(context.Artifacts, dataset.Id, ct).ConfigureAwait(false) : null,
            Histories = settings.Plots ? await ReportSources.HistoriesAsync(context.Artifacts, lineage, context.ScratchDirectory, ct).ConfigureAwait(false) : [],
            Evaluation = summary,
            Prompts = prompts,
            Candidates = candidates,
        };
        var writer = await context.Artifacts.CreateAsync(reportId, new ArtifactInfo
        {
            Kind = ArtifactKind.Report, ProducerStage = context.Stage, RunId = context.RunId, ConfigHash = context.ConfigHash, Parents = roots,
        }, ct).ConfigureAwait(false);
        await using var writerScope = writer.ConfigureAwait(false);
        await WriteTextAsync(writer, HtmlReportWriter.FileName, HtmlReportWriter.Write(report), ct).ConfigureAwait(false);
        await WriteTextAsync(writer, MarkdownReportWriter.FileName, MarkdownReportWriter.Write(report), ct).ConfigureAwait(false);
        await WriteTextAsync(writer, ResultsFile, JsonSerializer.Serialize(new EvaluationResults(summary, prompts, candidates), EvaluationJson.Options), ct).ConfigureAwait(false);
        await writer.CommitAsync(ct).ConfigureAwait(false);
    }

    private static async Task WriteTextAsync(IArtifactWriter writer, string path, string text, CancellationToken ct)
    {
        var stream = await writer.OpenWriteAsync(path, ct).ConfigureAwait(false);
        await using var streamScope = stream.ConfigureAwait(false);
        var textWriter = new StreamWriter(stream);
        await using var textWriterScope = textWriter.ConfigureAwait(false);
        await textWriter.WriteAsync(text.AsMemory(), ct).ConfigureAwait(false);
    }

    /// <summary>The completed event's metrics: eval/CANDIDATE/METRIC for every judge and the headline metrics, and the hacking flags.</summary>
    internal static Dictionary<string, double> Metrics(EvaluationSummary summary)
    {
        var metrics = new Dictionary<string, double> { ["eval/prompts"] = summary.Prompts, ["eval/candidates"] = summary.Candidates.Count };
        string[] headline = [MetricNames.WinRate, MetricNames.LengthControlledWinRate, MetricNames.MeanTokens,
            MetricNames.HitTokenLimit, MetricNames.Distinct2, MetricNames.SampledDistinct2, MetricNames.RougeL,
            MetricNames.Perplexity, MetricNames.KlFromStart];
        foreach (var candidate in summary.Candidates)
        {
            foreach (var judge in summary.Judges)
                if (candidate.Metrics.TryGetValue(MetricNames.Judge(judge), out var score) && double.IsFinite(score.Value))
                    metrics[$"eval/{candidate.Name}/{judge}"] = score.Value;
            foreach (var name in headline)
                if (candidate.Metrics.TryGetValue(name, out var value) && double.IsFinite(value.Value))
                    metrics[$"eval/{candidate.Name}/{name[(name.IndexOf('/') + 1)..]}"] = value.Value;
        }
        foreach (var check in summary.RewardHacking)
        {
            metrics[$"eval/{check.Policy}/reward_hacking"] = check.Flagged ? 1 : 0;
            metrics[$"eval/{check.Policy}/reward_model_gain"] = check.RewardModelGain.Value;
            metrics[$"eval/{check.Policy}/judge_gain"] = check.JudgeGain.Value;
        }
        return metrics;
    }
}

/// <summary>results.json of the report artifact: the summary and every reply, for tools that compare runs.</summary>
public sealed record EvaluationResults(EvaluationSummary Summary, IReadOnlyList<EvaluationPrompt> Prompts, IReadOnlyList<CandidateAnswers> Candidates);
