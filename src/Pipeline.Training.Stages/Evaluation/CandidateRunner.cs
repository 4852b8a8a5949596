using Pipeline.Configuration;
using Pipeline.Configuration.Evaluation;
using Pipeline.Contracts;
using Pipeline.Data;
using Pipeline.Evaluation.Baselines;
using Pipeline.Evaluation.Metrics;
using Pipeline.Evaluation.Planning;
using Pipeline.Evaluation.Prompts;
using Pipeline.Evaluation.Results;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Modeling.Generation;
using Pipeline.Orchestration.Runs;
using Pipeline.Orchestration.Stages;
using Pipeline.Tokenizers;
using Pipeline.Tokenizers.ChatTemplates;
using Pipeline.Training.Alignment.Objectives;
using Pipeline.Training.Alignment.Rewards;
using Pipeline.Training.Alignment.Rollouts;
using Pipeline.Training.Sft;
using TorchSharp;

namespace Pipeline.Training.Stages.Evaluation;

/// <summary>Generates one candidate's replies to every prompt (the shared batched, KV-cached generator) and has every judge score them.</summary>
internal sealed class CandidateRunner(StageContext context, EvaluationSettings settings, EvaluationPlan plan, RewardSourceCatalog judges,
    IReadOnlyList<IRewardFunction> functions, IReadOnlyList<EvaluationPrompt> prompts, IReadOnlyList<Demonstration> examples)
{
    public async Task<CandidateAnswers> RunAsync(CandidatePlan candidate, CancellationToken ct)
    {
        var (artifactId, model) = await LoadAsync(candidate, ct).ConfigureAwait(false);
        using var _ = model.Model;
        var manifest = await context.Artifacts.TryGetManifestAsync(artifactId, ct).ConfigureAwait(false);
        var conversations = Conversations(candidate);

        // 1. Prompts as the model's chat template renders them, cut to what fits its context with the reply.
        var room = Math.Max(8, Math.Min(settings.MaxPromptLength, model.Model.Config.MaxPositionEmbeddings - settings.MaxNewTokens));
        var rows = prompts.Zip(conversations, (p, messages) => new Example { Id = p.Id, Messages = [.. messages] });
        var encoded = AlignmentPrompts.From(rows, model.Tokenizer, model.Template, room);

        // 2. The same decoding for every candidate: greedy unless a temperature is set.
        var padId = model.Tokenizer.SpecialTokens.PaddingId;
        var sampler = new RolloutSampler(model.Model, model.Tokenizer, RolloutSampler.StopTokens(model.Tokenizer, model.Template.EndOfTurnToken), padId);
        var options = new GenerationOptions
        {
            MaxNewTokens = settings.MaxNewTokens, DoSample = settings.Temperature > 0, Temperature = settings.Temperature > 0 ? settings.Temperature : 1.0,
        };
        model.Model.eval();
        IReadOnlyList<Rollout> rollouts;
        using (torch.no_grad()) rollouts = sampler.Sample(encoded, options, settings.BatchSize, settings.Seed ?? 0);

        // 2b. Diversity within a prompt: several sampled replies to each (temperature 1, seeded), distinct-2 among them.
        var sampledDiversity = new double?[rollouts.Count];
        IReadOnlyList<Rollout>? samples = null;
        if (settings.DiversitySamples >= 2)
        {
            var n = settings.DiversitySamples;
            using (torch.no_grad())
                samples = sampler.Sample([.. encoded.SelectMany(p => Enumerable.Repeat(p, n))], options with { DoSample = true, Temperature = 1.0 },
                    settings.BatchSize, (settings.Seed ?? 0) + 1);
            for (var i = 0; i < rollouts.Count; i++)
                sampledDiversity[i] = Diversity.DistinctN(samples.Skip(i * n).Take(n).Select(r => r.CompletionText), 2) is var d && double.IsFinite(d) ? d : null;
        }

        // 2c. How far a trained model moved from the model it started from, on its own sampled replies.
        var kl = await KlFromStartAsync(candidate, model, sampler, encoded, options, samples, padId, ct).ConfigureAwait(false);

        // 3. Every judge sees the original prompt (not the baseline's rewritten one) and the reply.
        var queries = prompts.Zip(rollouts, (p, r) => new RewardQuery(p.Messages, r.CompletionText.Trim())).ToList();
        var scores = plan.Judges.ToDictionary(j => j, j => judges.Resolve(j).Score(queries));
        var ruleJudges = plan.Judges.Select(j => (Name: j, Rules: functions.FirstOrDefault(f => f.Name == j) as IRuleJudge)).Where(j => j.Rules is not null).ToList();
        var answers = new List<Answer>(rollouts.Count);
        for (var i = 0; i < rollouts.Count; i++)
        {
            var rollout = rollouts[i];
            var rules = new Dictionary<string, bool>(StringComparer.Ordinal);
            foreach (var (name, judge) in ruleJudges)
                foreach (var (rule, passed) in judge!.Rules(queries[i].Prompt, queries[i].Completion)) rules[$"{name}/{rule}"] = passed;
            answers.Add(new Answer
            {
                PromptId = prompts[i].Id,
                Text = queries[i].Completion,
                Tokens = rollout.Completion.Length - (rollout.Finished && rollout.Completion.Length > 0 ? 1 : 0),
                HitTokenLimit = !rollout.Finished,
                Scores = plan.Judges.ToDictionary(j => j, j => scores[j][i]),
                Rules = rules,
                SampledDistinct2 = sampledDiversity[i],
                KlFromStart = kl?.PerPrompt[i],
            });
        }
        return new CandidateAnswers
        {
            Name = candidate.Name, Kind = candidate.Kind, Description = candidate.Description, Model = artifactId,
            TrainedBy = candidate.Kind == CandidateKind.Baseline ? null : manifest?.ProducerStage, Answers = answers,
            ReferencePerplexity = candidate.Kind == CandidateKind.Model ? ReferencePerplexity(model) : null,
            KlFrom = kl?.From,
        };
    }

    /// <summary>
    /// KL(π ‖ π_start) in nats per reply: the k3 estimate Σ_t (r_t − 1) − log r_t, r_t = π_start(y_t)/π(y_t), over replies
    /// sampled from the candidate at temperature 1 (the diversity samples when there are some, else one per prompt),
    /// averaged per prompt. k3 rather than k1: unbiased too, never negative and of lower variance on the few samples an
    /// evaluation draws (k1 on 8 short replies of two nearly equal models came out negative). Measured:
    /// the aligned policy against SFT (else base), SFT against base. Null for other candidates, or when the starting
    /// model is not in the run or has another vocabulary.
    /// </summary>
    private async Task<(double[] PerPrompt, string From)?> KlFromStartAsync(CandidatePlan candidate, StageModel model, RolloutSampler sampler,
        IReadOnlyList<AlignmentPrompt> encoded, GenerationOptions options, IReadOnlyList<Rollout>? samples, int padId, CancellationToken ct)
    {
        string[] starts = candidate.ModelRole switch
        {
            ArtifactRoles.PolicyModel when candidate.Baseline is null => [ArtifactRoles.SftModel, ArtifactRoles.BaseModel],
            ArtifactRoles.SftModel when candidate.Baseline is null => [ArtifactRoles.BaseModel],
            _ => [],
        };
        var from = starts.FirstOrDefault(context.Inputs.ContainsKey);
        if (from is null) return null;
        var start = await StageModel.LoadAsync(context, ct, from).ConfigureAwait(false);
        using var startModel = start.Model;
        if (start.Model.Config.VocabSize != model.Model.Config.VocabSize) return null;
        start.Model.eval();
        var perPrompt = samples is null ? 1 : samples.Count / encoded.Count;
        using (torch.no_grad())
            samples ??= sampler.Sample(encoded, options with { DoSample = true, Temperature = 1.0 }, settings.BatchSize, (settings.Seed ?? 0) + 2);
        var perSample = new List<double>(samples.Count);
        var device = model.Model.parameters().First().device;
        foreach (var chunk in samples.Chunk(settings.BatchSize))
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var sequences = PolicySequences.Collate(chunk, padId, device);
            var logProbabilities = sequences.Forward(model.Model, 1.0).LogProbabilities;          // (B, C), padding 0
            var startLogProbabilities = sequences.Forward(start.Model, 1.0).LogProbabilities;     // (B, C)
            var perToken = KlPenalty.K3(logProbabilities, startLogProbabilities) * sequences.CompletionMask;   // (B, C), padding 0
            perSample.AddRange(perToken.sum(1).to(torch.ScalarType.Float64).data<double>().ToArray());
        }
        return ([.. Enumerable.Range(0, encoded.Count).Select(i => perSample.Skip(i * perPrompt).Take(perPrompt).Average())], from);
    }

    /// <summary>
    /// Perplexity of the reference replies given their prompts (tokens of the replies only, as SFT's validation loss): how
    /// likely the model finds the wanted answers, independent of decoding. Null when no prompt carries a reference.
    /// </summary>
    private double? ReferencePerplexity(StageModel model)
    {
        var examples = prompts.Where(p => p.Reference is not null).Select(p => new Example
        {
            Id = p.Id, Messages = [.. p.Messages, new ChatMessage(ChatRoles.Assistant, p.Reference!)],
        }).ToList();
        if (examples.Count == 0) return null;
        var sequences = new SftEncoder(model.Tokenizer, model.Template, model.Model.Config.MaxPositionEmbeddings).EncodeAll(examples).Sequences;
        if (sequences.Count == 0) return null;
        var padId = model.Tokenizer.SpecialTokens.PaddingId;
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        return Math.Exp(new SftTask(model.Model, padId).Evaluate(sequences, settings.BatchSize)[Pipeline.Contracts.MetricNames.EvalLoss]);
    }

    private async Task<(string ArtifactId, StageModel Model)> LoadAsync(CandidatePlan candidate, CancellationToken ct)
    {
        if (candidate.ModelRole is { } role)
        {
            var model = await StageModel.LoadAsync(context, ct, role).ConfigureAwait(false);
            return (model.Artifact.Id, model);
        }
        var artifact = new ArtifactRef(InputReference.Parse(candidate.ModelReference!).ArtifactId, ArtifactKind.Model);
        var folder = await ArtifactFolders.FetchAsync(context.Artifacts, artifact, ct).ConfigureAwait(false);
        try
        {
            var tokenizer = TokenizerLoader.Load(folder);
            var template = ChatTemplateResolver.Resolve(null, tokenizer, new DirectoryInfo(folder));
            return (artifact.Id, new StageModel(artifact, folder, CausalLmLoader.Load(folder), tokenizer, template));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException or ArgumentException or KeyNotFoundException or System.Text.Json.JsonException)
        {
            throw new StageFailedException($"{candidate.ConfigKey}.path: candidate '{candidate.Name}' could not be loaded as a model: {e.Message}", e);
        }
    }

    /// <summary>Each prompt's conversation as this candidate sees it: unchanged for a model, rewritten for a baseline.</summary>
    private IReadOnlyList<IReadOnlyList<ChatMessage>> Conversations(CandidatePlan candidate)
    {
        switch (candidate.Baseline)
        {
            case null:
                return [.. prompts.Select(p => p.Messages)];
            case BaselineKind.SystemPrompt:
                return [.. prompts.Select(p => BaselinePrompting.WithSystemPrompt(p.Messages, settings.SystemPrompt))];
            case BaselineKind.FewShot:
                var shots = BaselinePrompting.FixedShots(examples, settings.FewShotExamples, settings.Seed ?? 0);
                return [.. prompts.Select(p => BaselinePrompting.WithDemonstrations(p.Messages, shots))];
            default:
                using (var index = new Bm25ExampleIndex(examples))
                    return [.. prompts.Select(p => BaselinePrompting.WithDemonstrations(p.Messages, index.Search(p.Question, settings.RagExamples)))];
        }
    }
}
