using System.Globalization;
using System.Text;
using System.Text.Json;
using Pipeline.Artifacts;
using Pipeline.Contracts;
using Pipeline.Orchestration.Stages;
using Pipeline.Training.Loop;

namespace Pipeline.Training.Stages;

/// <summary>
/// The trainer's hooks wired to the stage runtime: checkpoints become checkpoint artifacts, the slice
/// deadline ends a slice after a checkpoint, progress becomes StageProgressed events and /metrics gauges,
/// and a stage taken over by another replica resumes from the latest checkpoint.
/// </summary>
internal static class TrainingStageBridge
{
    /// <summary>The hooks, and what this slice learns about itself (the step it resumed at).</summary>
    /// <param name="recordHistory">
    /// Keep the stage's metric history (one JSON line per step, eval metrics on their own lines) in every checkpoint, for
    /// <see cref="TrainingSlice.WriteHistory"/> to put beside the output. The alignment stages write their own.
    /// </param>
    public static async Task<TrainingSlice> SliceAsync(StageContext context, CancellationToken ct, bool recordHistory = false)
    {
        var slice = new TrainingSlice();
        string? resumeFrom = null;
        if (context.Checkpoints.LatestId is { } latest)
        {
            resumeFrom = Path.Combine(context.ScratchDirectory, "resume");
            await context.Artifacts.DownloadAsync(latest, resumeFrom, ct).ConfigureAwait(false);
            if (recordHistory) slice.History.Restore(Path.Combine(resumeFrom, MetricHistory.CheckpointFileName));
        }
        // Evaluations arrive between steps; they are reported at the last step's position.
        (double Fraction, int Step, int Total) last = (0, 0, 0);
        slice.Hooks = new TrainingHooks
        {
            ResumeFrom = resumeFrom,
            WorkingDirectory = Path.Combine(context.ScratchDirectory, "checkpoints"),
            CheckpointSaved = (folder, step) => context.Checkpoints.SaveAsync(async w =>
            {
                await w.AddFolderAsync(folder, ct).ConfigureAwait(false);
                if (recordHistory) await slice.History.WriteAsync(w, step, ct).ConfigureAwait(false);
            }, ct),
            ShouldYield = () => context.ShouldYield,
            Progress = p =>
            {
                if (resumeFrom is not null) slice.ResumedAtStep ??= p.Step - 1;
                ReportStep(p);
                if (recordHistory) slice.History.Add(p.Step, StepMetrics(p).Where(m => m.Key != MetricNames.EtaSeconds).ToDictionary()); // progress, not a result
            },
            Evaluated = e =>
            {
                context.Progress.Report(last.Fraction, last.Step, last.Total, $"evaluated after step {e.Step}", e.Metrics);
                if (recordHistory) slice.History.Add(e.Step, e.Metrics);
            },
        };
        return slice;

        void ReportStep(TrainingProgress p) =>
            context.Progress.Report((last = ((double)p.Step / Math.Max(1, p.TotalSteps), p.Step, p.TotalSteps)).Fraction, p.Step, p.TotalSteps,
                $"step {p.Step}/{p.TotalSteps}, loss {p.Loss:0.000}, {p.TokensPerSecond:0} tok/s, ETA {p.Remaining:hh\\:mm\\:ss}",
                StepMetrics(p));

        static Dictionary<string, double> StepMetrics(TrainingProgress p)
        {
            var metrics = new Dictionary<string, double>
            {
                [MetricNames.TrainLoss] = p.Loss,
                [MetricNames.LearningRate] = p.LearningRate,
                [MetricNames.GradNorm] = p.GradientNorm,
                [MetricNames.TokensPerSecond] = p.TokensPerSecond,
                [MetricNames.EtaSeconds] = p.Remaining.TotalSeconds,
            };
            // The alignment stages add objective/kl, rewards/*, timing/* ... under their hierarchical names.
            foreach (var (name, value) in p.Metrics ?? new Dictionary<string, double>()) metrics[name] = value;
            return metrics;
        }
    }
}

/// <summary>One slice of a training stage: its hooks, and the checkpoint step it continued from (null when it started fresh).</summary>
internal sealed class TrainingSlice
{
    public TrainingHooks Hooks { get; set; } = new();
    public int? ResumedAtStep { get; set; }

    /// <summary>The stage's metric history so far (earlier slices' lines restored from the checkpoint).</summary>
    public MetricHistory History { get; } = new();

    /// <summary>Writes the history as metrics.jsonl into the output folder, where the run report finds it.</summary>
    public void WriteHistory(string outputDirectory) => History.WriteTo(Path.Combine(outputDirectory, MetricHistory.FileName));

    /// <summary>Adds train/resumed_at_step to a stage's metrics when this slice continued from a checkpoint.</summary>
    public Dictionary<string, double> Annotate(IReadOnlyDictionary<string, double> metrics)
    {
        var result = new Dictionary<string, double>(metrics);
        if (ResumedAtStep is { } step) result[MetricNames.ResumedAtStep] = step;
        return result;
    }
}


/// <summary>
/// A training stage's metric history: one JSON object per line, {"step": N, "train/loss": ..., ...}, as the alignment
/// stages write theirs, so the run report plots every stage the same way. Carried from slice to slice in the checkpoints.
/// </summary>
internal sealed class MetricHistory
{
    public const string FileName = "metrics.jsonl";
    public const string CheckpointFileName = "metric_history.jsonl";

    private readonly List<(int Step, string Line)> lines = [];

    public int Count => this.lines.Count;

    public void Add(int step, IReadOnlyDictionary<string, double> metrics)
    {
        var line = new StringBuilder("{\"step\":").Append(step.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, value) in metrics.Where(m => double.IsFinite(m.Value)).OrderBy(m => m.Key, StringComparer.Ordinal))
            line.Append(',').Append(JsonSerializer.Serialize(name)).Append(':').Append(value.ToString("R", CultureInfo.InvariantCulture));
        lock (this.lines) this.lines.Add((step, line.Append('}').ToString()));
    }

    /// <summary>Reads an earlier slice's lines back (none when the checkpoint has no history).</summary>
    public void Restore(string path)
    {
        if (!File.Exists(path)) return;
        foreach (var line in File.ReadLines(path).Where(l => l.Length > 0))
        {
            using var document = JsonDocument.Parse(line);
            this.lines.Add((document.RootElement.GetProperty("step").GetInt32(), line));
        }
    }

    /// <summary>Adds the lines up to <paramref name="step"/> to a checkpoint (a later line belongs to steps the checkpoint does not hold).</summary>
    public async Task WriteAsync(IArtifactWriter writer, int step, CancellationToken ct)
    {
        var stream = await writer.OpenWriteAsync(CheckpointFileName, ct).ConfigureAwait(false);
        await using var streamScope = stream.ConfigureAwait(false);
        var text = new StreamWriter(stream);
        await using var textScope = text.ConfigureAwait(false);
        foreach (var line in Snapshot().Where(l => l.Step <= step)) await text.WriteLineAsync(line.Line.AsMemory(), ct).ConfigureAwait(false);
    }

    public void WriteTo(string path) => File.WriteAllLines(path, Snapshot().Select(l => l.Line));

    private List<(int Step, string Line)> Snapshot()
    {
        lock (this.lines) return [.. this.lines];
    }
}
