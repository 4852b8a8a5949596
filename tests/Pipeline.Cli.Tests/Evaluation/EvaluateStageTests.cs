using System.Text.Json;
using Pipeline.Artifacts;
using Pipeline.Artifacts.State;
using Pipeline.Cli.Commands;
using Pipeline.Cli.Console;
using Pipeline.Contracts;
using Pipeline.Orchestration.Messaging;
using Pipeline.Orchestration.Runs;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Cli.Tests.Evaluation;

/// <summary>
/// The evaluate stage in the embedded pipeline, on tiny models trained from the quickstart's data: the run's three models
/// and the three baselines answer held-out prompts, one candidate per slice; the report artifact and `pipeline report`.
/// Then evaluate-only runs on the first run's artifacts, with bad inputs that must fail before anything is generated.
/// </summary>
[Collection(EmbeddedRunCollection.Name)]
public sealed class EvaluateStageTests : IClassFixture<EvaluateStageTests.TrainedRun>
{
    private readonly TrainedRun run;

    public EvaluateStageTests(TrainedRun run) => this.run = run;

    /// <summary>One run through every stage (tiny step counts), shared by the tests of this class.</summary>
    public sealed class TrainedRun : IAsyncLifetime
    {
        internal TempFolder Folder { get; } = new();
        public string Artifacts => Path.Combine(Folder.Path, "artifacts");
        public RunRecord Record { get; private set; } = null!;
        public int ExitCode { get; private set; }

        public async ValueTask InitializeAsync()
        {
            var data = Path.Combine(RepositoryRoot(), "examples", "quickstart", "data");
            var config = Folder.PathOf("tiny-eval.yaml");
            await File.WriteAllTextAsync(config, $$"""
                name: tiny-eval
                seed: 5
                stages:
                  pretrain: { corpus: ["{{data}}/pretrain.txt"], max_steps: 12, batch_size: 8, context_length: 64, vocab_size: 400 }
                  ingest:
                    inputs:
                      - { path: "{{data}}/support.jsonl", format: openai }
                      - { path: "{{data}}/preferences.jsonl", format: preference }
                    near_duplicates: { enabled: false }
                  sft: { max_steps: 6, batch_size: 4, learning_rate: 1.0e-3, max_seq_length: 160, eval_every: 1000 }
                  reward_model: { max_steps: 4, batch_size: 4, max_seq_length: 160, eval_every: 1000 }
                  grpo:
                    rewards: [{ source: reward_model }]
                    max_steps: 2
                    prompts_per_step: 2
                    num_generations: 2
                    batch_size: 4
                    max_new_tokens: 8
                    max_prompt_length: 48
                  evaluate:
                    prompts: "{{data}}/eval_prompts.jsonl"
                    max_samples: 4
                    max_new_tokens: 8
                    max_prompt_length: 48
                    few_shot_examples: 1
                    rag_examples: 1
                    diversity_samples: 2
                """);
            ExitCode = await RunCommand.RunAsync(new FileInfo(config), Artifacts, select: null, CancellationToken.None);
            Record = await LatestRunAsync(Artifacts, "tiny-eval");
        }

        public ValueTask DisposeAsync()
        {
            Folder.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task Every_candidate_is_evaluated_in_its_own_slice_and_the_report_is_the_stages_artifact()
    {
        var run = this.run.Record;
        Assert.True(this.run.ExitCode == 0, $"run ended {run.State}: {run.FailedStage} {run.FailureReason}");
        var evaluate = run.Find("evaluate")!;
        string[] candidates = ["base_model", "sft_model", "policy_model", "system_prompt", "few_shot", "rag"];
        Assert.Equal(candidates.Length, evaluate.Slices);

        // Every candidate's scores by both judges are in the stage's metrics (so in the run status and /metrics).
        foreach (var candidate in candidates)
        {
            Assert.InRange(evaluate.Metrics[$"eval/{candidate}/house_style"], 0, 1);
            Assert.True(double.IsFinite(evaluate.Metrics[$"eval/{candidate}/reward_model"]));
            Assert.InRange(evaluate.Metrics[$"eval/{candidate}/win_rate"], 0, 1);
            Assert.InRange(evaluate.Metrics[$"eval/{candidate}/hit_limit"], 0, 1);
        }
        Assert.Equal(0.5, evaluate.Metrics["eval/sft_model/win_rate"]);
        Assert.True(evaluate.Metrics["eval/sft_model/perplexity"] > 1);
        Assert.All(candidates, c => Assert.InRange(evaluate.Metrics[$"eval/{c}/sampled_distinct_2"], 0, 1));
        // KL from the starting model, on sampled replies: the policy from SFT, SFT from base; the others have none.
        Assert.True(double.IsFinite(evaluate.Metrics["eval/policy_model/kl_from_start"]));
        Assert.True(evaluate.Metrics["eval/sft_model/kl_from_start"] > 0, $"SFT moved away from the base model: KL {evaluate.Metrics["eval/sft_model/kl_from_start"]}, policy {evaluate.Metrics["eval/policy_model/kl_from_start"]}");
        Assert.False(evaluate.Metrics.ContainsKey("eval/base_model/kl_from_start"));
        Assert.False(evaluate.Metrics.ContainsKey("eval/rag/kl_from_start"));
        Assert.False(evaluate.Metrics.ContainsKey("eval/rag/perplexity"));

        // The run's story compares the trained models with the baselines on the labeler's score.
        var story = Assert.Single(RunStory.Lines(run), l => l.StartsWith("evaluate:", StringComparison.Ordinal));
        Assert.Matches(@"^evaluate: house_style on 4 held-out prompts: base_model \d\.\d{3}, sft_model \d\.\d{3}, policy_model \d\.\d{3} vs baselines system_prompt \d\.\d{3}, few_shot \d\.\d{3}, rag \d\.\d{3}; " +
                       @"SFT (beats|does NOT beat) the best baseline \(\w+\) by [+-]?\d\.\d{3}; the aligned policy (beats|does NOT beat) the best baseline \(\w+\) by [+-]?\d\.\d{3}; " +
                       @"alignment (raised|did NOT raise) it over SFT \([+-]?\d\.\d{3}\); (no reward hacking flagged|⚠ reward hacking flagged)", story);
        Assert.Equal(4, evaluate.Metrics["eval/prompts"]);
        Assert.Contains(evaluate.Metrics["eval/policy_model/reward_hacking"], new[] { 0.0, 1.0 });

        var store = ArtifactStoreFactory.Create(this.run.Artifacts);
        var report = run.Artifacts["report"];
        var manifest = await store.GetManifestAsync(report.Id, TestContext.Current.CancellationToken);
        Assert.Equal(ArtifactKind.Report, manifest.Kind);
        Assert.Equal(["report.html", "report.md", "results.json"], manifest.Files.Select(f => f.Path).Order());
        var html = await ReadAsync(store, report.Id, "report.html");
        foreach (var candidate in candidates) Assert.Contains($"data-candidate=\"{candidate}\"", html);
        Assert.Contains("aria-label=\"objective/kl\"", html); // the grpo stage's metric history, plotted
        Assert.Contains("runs/", html);                        // lineage from the manifests
        Assert.Contains(">house_style rules<", html);          // the per-rule breakdown
        Assert.Contains(">greeting<", html);
        // Every training stage's metric history is beside its model and plotted.
        foreach (var stage in new[] { "pretrain", "sft", "reward_model" })
        {
            var model = await store.GetManifestAsync(run.Find(stage)!.Outputs.Values.First(o => o.Kind == ArtifactKind.Model).Id, TestContext.Current.CancellationToken);
            Assert.NotNull(model.FindFile("metrics.jsonl"));
            Assert.Contains($"<h3>{stage}</h3>", html);
        }
        Assert.Contains("aria-label=\"train/loss\"", html);

        // A checkpoint after every candidate, the k-th holding the first k: a replica killed mid-stage loses at most one.
        var checkpoints = await store.ListAsync($"runs/{run.RunId:N}/evaluate/checkpoints/", TestContext.Current.CancellationToken)
            .OrderBy(m => m.Id, StringComparer.Ordinal).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(candidates.Length, checkpoints.Count);
        for (var k = 0; k < checkpoints.Count; k++)
        {
            using var state = JsonDocument.Parse(await ReadAsync(store, checkpoints[k].Id, "evaluation_state.json"));
            Assert.Equal(candidates.Take(k + 1), state.RootElement.GetProperty("finished").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        }

        using var results = JsonDocument.Parse(await ReadAsync(store, report.Id, "results.json"));
        var answers = results.RootElement.GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("answers").GetArrayLength()).ToList();
        Assert.All(answers, n => Assert.Equal(4, n));
    }

    [Fact]
    public async Task A_training_stages_history_has_one_line_per_step_and_survives_a_checkpoint()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = ArtifactStoreFactory.Create(this.run.Artifacts);
        var sft = this.run.Record.Find("sft")!;
        var lines = (await ReadAsync(store, sft.Outputs["sft_model"].Id, "metrics.jsonl")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var steps = lines.Select(l => JsonDocument.Parse(l).RootElement).Where(e => e.TryGetProperty("train/loss", out _)).Select(e => e.GetProperty("step").GetInt32()).ToList();
        Assert.Equal(Enumerable.Range(1, 6), steps); // sft ran max_steps 6

        // The history travels in checkpoints, so a slice that resumes keeps the earlier slices' lines and drops later ones.
        var history = new Pipeline.Training.Stages.MetricHistory();
        foreach (var step in new[] { 1, 2, 3 }) history.Add(step, new Dictionary<string, double> { ["train/loss"] = 1.0 / step, ["nan"] = double.NaN });
        await using (var writer = await store.CreateAsync($"tests/history-{Guid.NewGuid():N}", new ArtifactInfo { Kind = ArtifactKind.Checkpoint, ProducerStage = "test" }, ct))
        {
            await history.WriteAsync(writer, step: 2, ct);
            var manifest = await writer.CommitAsync(ct);
            var folder = this.run.Folder.PathOf($"restored-{Guid.NewGuid():N}");
            await store.DownloadAsync(manifest.Id, folder, ct);
            var restored = new Pipeline.Training.Stages.MetricHistory();
            restored.Restore(Path.Combine(folder, Pipeline.Training.Stages.MetricHistory.CheckpointFileName));
            Assert.Equal(2, restored.Count);
            restored.WriteTo(Path.Combine(folder, "metrics.jsonl"));
            Assert.Equal(["{\"step\":1,\"train/loss\":1}", "{\"step\":2,\"train/loss\":0.5}"], await File.ReadAllLinesAsync(Path.Combine(folder, "metrics.jsonl"), ct));
        }
    }

    [Fact]
    public async Task Pipeline_report_writes_the_runs_report_files()
    {
        var output = this.run.Folder.PathOf("report-out");
        var exit = await ReportCommand.WriteAsync(this.run.Record.RunId, this.run.Artifacts, output, open: false, TestContext.Current.CancellationToken);
        Assert.Equal(0, exit);
        Assert.Contains("data-candidate=\"rag\"", await File.ReadAllTextAsync(Path.Combine(output, "report.html")));
        Assert.Contains("| policy_model |", await File.ReadAllTextAsync(Path.Combine(output, "report.md")));
    }

    [Fact]
    public async Task A_run_without_evaluate_gets_a_report_of_its_lineage_data_and_histories()
    {
        var ct = TestContext.Current.CancellationToken;
        var data = Path.Combine(RepositoryRoot(), "examples", "quickstart", "data");
        var config = this.run.Folder.PathOf("no-evaluate.yaml");
        await File.WriteAllTextAsync(config, $$"""
            name: no-evaluate
            inputs: { base_model: "artifact:{{this.run.Record.Artifacts["base_model"].Id}}" }
            stages:
              ingest: { inputs: [{ path: "{{data}}/support.jsonl", format: openai }], near_duplicates: { enabled: false } }
              sft: { max_steps: 2, batch_size: 4, max_seq_length: 128, eval_every: 1000 }
            """);
        Assert.Equal(0, await RunCommand.RunAsync(new FileInfo(config), this.run.Artifacts, select: null, ct));
        var run = await LatestRunAsync(this.run.Artifacts, "no-evaluate");
        var output = this.run.Folder.PathOf("no-evaluate-report");

        Assert.Equal(0, await ReportCommand.WriteAsync(run.RunId, this.run.Artifacts, output, open: false, ct));

        var html = await File.ReadAllTextAsync(Path.Combine(output, "report.html"), ct);
        Assert.Contains("Run report: no-evaluate", html);
        Assert.Contains("<h3>sft</h3>", html);                      // the sft history, plotted
        Assert.Contains("<h3>pretrain</h3>", html);                 // the first run's base model, found through the lineage
        Assert.Contains("rows_read", html);                         // the data card
        Assert.Contains($"runs/{run.RunId:N}/sft/model", html);     // lineage
        Assert.Contains("eval/base_loss", html);                    // the stages' results
        Assert.DoesNotContain("id=\"candidates\"", html);
        var missing = await Assert.ThrowsAsync<CliException>(() => ReportCommand.WriteAsync(Guid.NewGuid(), this.run.Artifacts, output, false, ct));
        Assert.StartsWith("There is no run ", missing.Message);
    }

    [Fact]
    public async Task Pipeline_evaluate_compares_model_folders_outside_a_run()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = ArtifactStoreFactory.Create(this.run.Artifacts);
        var sft = this.run.Folder.PathOf("folders/sft");
        var policy = this.run.Folder.PathOf("folders/policy");
        await store.DownloadAsync(this.run.Record.Artifacts["sft_model"].Id, sft, ct);
        await store.DownloadAsync(this.run.Record.Artifacts["policy_model"].Id, policy, ct);
        var output = this.run.Folder.PathOf("evaluate-out");
        var prompts = new FileInfo(Path.Combine(RepositoryRoot(), "examples", "quickstart", "data", "eval_prompts.jsonl"));

        var exit = await EvaluateCommand.EvaluateAsync([$"sft={sft}", $"aligned={policy}"], prompts, ["house_style"], reference: null,
            maxSamples: 3, maxNewTokens: 6, this.run.Folder.PathOf("evaluate-artifacts"), output, open: false, ct);

        Assert.Equal(0, exit);
        var md = await File.ReadAllTextAsync(Path.Combine(output, "report.md"));
        Assert.Contains("| sft | ", md);
        Assert.Contains("| aligned | ", md);
        Assert.Contains("wins by house_style against sft", md);
        Assert.Contains("3 held-out prompts", md);
        var notAFolder = await Assert.ThrowsAsync<CliException>(() => EvaluateCommand.EvaluateAsync(["sft"], prompts, [], null, 3, 6, null, output, false, ct));
        Assert.Contains("--model 'sft': write NAME=FOLDER", notAFolder.Message);
    }

    [Theory]
    [InlineData("prompts: \"{data}/empty.jsonl\"", "stages.evaluate.prompts (empty.jsonl): the prompt file holds no prompts", null)]
    [InlineData("prompts: \"{data}/no-text.jsonl\"", "stages.evaluate.prompts (no-text.jsonl):2: prompt 'b' has no text", null)]
    [InlineData("models: [{ name: notes, path: \"{data}/not-a-model\" }]", "stages.evaluate.models[0].path: the folder for candidate 'notes' is not a model: it has no config.json", null)]
    public async Task Bad_inputs_fail_the_stage_before_anything_is_generated(string setting, string expected, string? alsoExpected)
    {
        var data = this.run.Folder.PathOf("bad-inputs");
        Directory.CreateDirectory(Path.Combine(data, "not-a-model"));
        await File.WriteAllTextAsync(Path.Combine(data, "not-a-model", "notes.txt"), "not weights");
        await File.WriteAllTextAsync(Path.Combine(data, "empty.jsonl"), "\n");
        await File.WriteAllTextAsync(Path.Combine(data, "no-text.jsonl"), "{\"id\":\"a\",\"prompt\":\"Hello\"}\n{\"id\":\"b\",\"prompt\":[{\"role\":\"user\",\"content\":\"\"}]}\n");
        var inputs = this.run.Record.Artifacts;
        var config = this.run.Folder.PathOf($"bad-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(config, $$"""
            name: bad-evaluate
            inputs:
              base_model: "artifact:{{inputs["base_model"].Id}}"
              sft_model: "artifact:{{inputs["sft_model"].Id}}"
              dataset: "artifact:{{inputs["dataset"].Id}}"
            stages:
              evaluate:
                max_samples: 2
                max_new_tokens: 4
                {{setting.Replace("{data}", data)}}
            """);
        var exit = await RunCommand.RunAsync(new FileInfo(config), this.run.Artifacts, select: null, TestContext.Current.CancellationToken);

        var run = await LatestRunAsync(this.run.Artifacts, "bad-evaluate");
        Assert.Equal(1, exit);
        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal("evaluate", run.FailedStage);
        Assert.Contains(expected, run.FailureReason);
        if (alsoExpected is not null) Assert.Contains(alsoExpected, run.FailureReason);
        Assert.DoesNotContain("   at ", run.FailureReason); // a reason for people, not a stack trace
        Assert.True(run.Find("evaluate")!.Slices <= 1, "the stage should fail in its first slice");
        Assert.False(run.Artifacts.ContainsKey("report"));
    }

    [Fact]
    public async Task A_judge_that_does_not_exist_stops_the_run_before_it_starts()
    {
        var config = this.run.Folder.PathOf($"bad-judge-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(config, $$"""
            name: bad-judge
            inputs:
              base_model: "artifact:{{this.run.Record.Artifacts["base_model"].Id}}"
              dataset: "artifact:{{this.run.Record.Artifacts["dataset"].Id}}"
            stages:
              evaluate: { judges: [house_stlye, reward_model] }
            """);
        var error = await Assert.ThrowsAsync<CliException>(() => RunCommand.RunAsync(new FileInfo(config), this.run.Artifacts, select: null, TestContext.Current.CancellationToken));
        Assert.Equal($"{Path.GetFileName(config)}: stages.evaluate.judges[0]: 'house_stlye' is not a judge; available: house_style (did you mean 'house_style'?); " +
                     "stages.evaluate.judges[1]: 'reward_model' is not a judge; available: house_style; reward_model needs the reward_model stage or inputs.reward_model.", error.Message);
        var runs = new PipelineStateStore(DocumentStoreFactory.Create(this.run.Artifacts, PipelineServices.StateContainer)).Runs;
        Assert.DoesNotContain(await runs.ListAsync(TestContext.Current.CancellationToken).ToListAsync(), r => r.Name == "bad-judge");
    }

    private static async Task<string> ReadAsync(IArtifactStore store, string id, string path)
    {
        await using var stream = await store.OpenReadAsync(id, path);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    private static async Task<RunRecord> LatestRunAsync(string artifacts, string name)
    {
        var runs = new PipelineStateStore(DocumentStoreFactory.Create(artifacts, PipelineServices.StateContainer)).Runs;
        var all = await runs.ListAsync(CancellationToken.None).ToListAsync();
        return all.Where(r => r.Name == name).OrderByDescending(r => r.CreatedAt).First();
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Pipeline.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Pipeline.sln not found above the test binaries.");
    }
}
