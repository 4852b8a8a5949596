using System.CommandLine;
using System.Text.Json.Nodes;
using Pipeline.Artifacts.State;
using Pipeline.Cli.Commands;
using Pipeline.Cli.Commands.Feedback;
using Pipeline.Configuration;
using Pipeline.Configuration.Feedback;
using Pipeline.Orchestration.Messaging;
using Pipeline.Orchestration.Runs;
using Pipeline.Orchestration.Stages;
using Pipeline.Training.Datasets;

namespace Pipeline.Cli.Tests.Feedback;

/// <summary>
/// Real RLHF without code: a feedback stage with judge: human writes candidates, `pipeline feedback export` makes the sheet,
/// a person ranks it, `pipeline feedback import` makes the preference dataset, and a reward model trains on it.
/// </summary>
[Collection(EmbeddedRunCollection.Name)]
public sealed class HumanRatingLoopTests(TinyModelFolders models)
{
    [Fact]
    public async Task Candidates_are_exported_ranked_imported_and_trained_on()
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = new TempFolder();
        var data = Path.Combine(RepositoryRoot(), "examples", "quickstart", "data");
        var artifacts = Path.Combine(folder.Path, "artifacts");

        // 1. the feedback stage samples and stops at the candidates
        var run = await RunAsync(folder, artifacts, "collect.yaml", $$"""
            name: human-collect
            seed: 2
            inputs: { base_model: "{{models.Llama.Directory}}" }
            stages:
              ingest:
                inputs: [{ path: "{{data}}/support.jsonl", format: openai }]
                near_duplicates: { enabled: false }
              feedback: { judge: human, samples_per_prompt: 3, max_prompts: 4, max_new_tokens: 6, max_prompt_length: 64, temperature: 1.5 }
            """);
        Assert.True(run.State == RunState.Completed, $"{run.FailedStage}: {run.FailureReason}");
        Assert.Equal(4, run.Find("feedback")!.Metrics["prompts"]);
        var candidates = run.Find("feedback")!.Metrics["candidates"];

        // 2. export, rank every prompt's replies in sheet order (ids best first), import
        var sheet = folder.PathOf("ratings.jsonl");
        Assert.Equal(0, await FeedbackCommand.ExportAsync(run.RunId.ToString("N"), sheet, "jsonl", artifacts, ct));
        var rows = File.ReadAllLines(sheet).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(4, rows.Count);
        Assert.Equal(candidates, rows.Sum(r => r["replies"]!.AsArray().Count));
        foreach (var row in rows) row["ranking"] = new JsonArray([.. row["replies"]!.AsArray().Select(r => (JsonNode)r!["id"]!.GetValue<string>())]);
        var ranked = rows.Select(r => r.ToJsonString()).ToList();
        File.WriteAllLines(sheet, ranked);
        var sizes = rows.Select(r => r["replies"]!.AsArray().Count).ToList();

        var preferences = folder.PathOf("preferences");
        Assert.Equal(1, await Invoke("feedback", "import", sheet, "--from", run.RunId.ToString("N"), "--out", preferences, "--artifacts", artifacts,
            "--pairing", "sideways"));
        Assert.Equal(0, await FeedbackCommand.ImportAsync(new FileInfo(sheet), run.RunId.ToString("N"), preferences, FeedbackPairing.AllPairs, artifacts, ct));
        var pairs = DatasetShards.ReadSplit(preferences, DatasetShards.Train).Concat(DatasetShards.ReadSplit(preferences, DatasetShards.Validation)).ToList();
        Assert.Equal(sizes.Sum(k => k * (k - 1) / 2), pairs.Count);

        // 3. a sheet with a row deleted is refused and writes nothing
        File.WriteAllLines(sheet, ranked.Take(ranked.Count - 1));
        var refused = folder.PathOf("refused");
        Assert.Equal(1, await Invoke("feedback", "import", sheet, "--from", run.RunId.ToString("N"), "--out", refused, "--artifacts", artifacts));
        Assert.False(Directory.Exists(refused));

        // 4. the reward model trains on the people's pairs
        var trained = await RunAsync(folder, Path.Combine(folder.Path, "artifacts2"), "train.yaml", $$"""
            name: human-train
            seed: 2
            inputs: { base_model: "{{models.Llama.Directory}}", preferences: "{{preferences}}" }
            stages:
              reward_model: { max_steps: 2, batch_size: 2, max_seq_length: 96, eval_every: 1000 }
            """);
        Assert.True(trained.State == RunState.Completed, $"{trained.FailedStage}: {trained.FailureReason}");
        Assert.Equal(DatasetShards.ReadSplit(preferences, DatasetShards.Train).Count, trained.Find("reward_model")!.Metrics["train_pairs"]);
    }

    private static async Task<int> Invoke(params string[] args)
    {
        var root = new RootCommand("test") { FeedbackCommand.Create() };
        return await root.Parse(args).InvokeAsync();
    }

    private static async Task<RunRecord> RunAsync(TempFolder folder, string artifacts, string name, string yaml)
    {
        var config = folder.PathOf(name);
        await File.WriteAllTextAsync(config, yaml);
        await RunCommand.RunAsync(new FileInfo(config), artifacts, select: null, TestContext.Current.CancellationToken);
        var runs = new PipelineStateStore(DocumentStoreFactory.Create(artifacts, PipelineServices.StateContainer)).Runs;
        return Assert.Single(await runs.ListAsync(TestContext.Current.CancellationToken).ToListAsync());
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Pipeline.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Pipeline.sln not found above the test binaries.");
    }
}
