using System.Diagnostics;
using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;
using Pipeline.Training.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Training.Loop;

/// <summary>
/// The optimizer loop every trainer shares: seeded data order per epoch, gradient accumulation over
/// micro-batches, AdamW with decay and no-decay groups, warm-up then cosine/linear/constant schedule,
/// gradient clipping, periodic evaluation with early stopping, and resumable checkpoints handed to the caller.
/// On the CPU in float32 a run resumed from a checkpoint reproduces the uninterrupted run bit for bit.
/// </summary>
/// <remarks>
/// Step sizes: an epoch has ⌈examples / batch_size⌉ micro-batches (the last may be smaller) and
/// ⌈micro-batches / gradient_accumulation_steps⌉ optimizer steps (a step never spans two epochs, so the
/// last one may accumulate fewer). max_steps above 0 replaces epochs and may run into further epochs.
/// </remarks>
public sealed class TrainingLoop<TExample>
{
    private readonly ITrainingTask<TExample> task;
    private readonly TrainingSettings settings;
    private readonly long seed;

    /// <param name="seed">The stage's seed; null: <c>settings.Seed</c>, or 0 when that is unset too.</param>
    public TrainingLoop(ITrainingTask<TExample> task, TrainingSettings settings, long? seed = null)
    {
        this.task = task ?? throw new ArgumentNullException(nameof(task));
        this.settings = settings ?? throw new ArgumentNullException(nameof(settings));
        this.seed = seed ?? settings.Seed ?? 0;
    }

    /// <summary>Optimizer steps a run over this many examples takes.</summary>
    public static int TotalSteps(TrainingSettings settings, int trainExamples)
    {
        if (settings.MaxSteps > 0) return settings.MaxSteps;
        return settings.Epochs * StepsPerEpoch(settings, trainExamples);
    }

    private static int MicroBatchesPerEpoch(TrainingSettings s, int examples) => (examples + s.BatchSize - 1) / s.BatchSize;

    private static int StepsPerEpoch(TrainingSettings s, int examples) =>
        (MicroBatchesPerEpoch(s, examples) + s.GradientAccumulationSteps - 1) / s.GradientAccumulationSteps;

    public async Task<TrainingResult> RunAsync(
        IReadOnlyList<TExample> train, IReadOnlyList<TExample> validation, TrainingHooks? hooks = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        hooks ??= new TrainingHooks();
        if (train.Count == 0) throw new ArgumentException("There are no training examples.", nameof(train));

        var trainable = task.Model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter)).ToList();
        if (trainable.Count == 0)
            throw new InvalidOperationException("The model has no trainable parameter (none has requires_grad); the fine-tuning method froze everything.");
        var (decay, noDecay) = ParameterGroups.Split(trainable);
        using var masters = new MasterWeights([.. decay, .. noDecay]);
        var optimized = masters.Optimized;
        using var optimizer = DecoupledWeightDecay.CreateOptimizer(optimized, decay.Count, settings);

        var run = new RunState(this, train.Count);
        if (hooks.ResumeFrom is { } resumeFrom)
        {
            run.Resume(TrainingCheckpoint.ReadState(resumeFrom), resumeFrom);
            TrainingCheckpoint.Restore(resumeFrom, optimized, optimizer);
            masters.MastersToModel();
        }
        else
        {
            torch.manual_seed(seed);
        }

        var workingDirectory = hooks.WorkingDirectory ?? Directory.CreateTempSubdirectory("training-checkpoints-").FullName;
        var sliceClock = new SliceClock(run.Step);
        task.Model.train();
        try
        {
            while (run.Step < run.TotalSteps)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var started = Stopwatch.GetTimestamp();
                var record = TrainStep(run, train, optimizer, masters, optimized);
                var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                sliceClock.Add(seconds, record.Tokens);
                run.Record(record, seconds);
                hooks.Progress?.Invoke(sliceClock.Progress(run, record));

                var last = run.Step == run.TotalSteps;
                var evaluate = validation.Count > 0 && (last || (settings.EvalEvery > 0 && run.Step % settings.EvalEvery == 0));
                if (evaluate)
                {
                    var evaluation = run.Evaluate(Evaluate(validation));
                    hooks.Evaluated?.Invoke(evaluation);
                }
                var stopEarly = run.EarlyStopping.ShouldStop;

                if (hooks.CheckpointSaved is { } saved && (last || stopEarly || run.Step % settings.CheckpointEvery == 0))
                {
                    await SaveCheckpointAsync(saved, workingDirectory, run, optimized, optimizer).ConfigureAwait(false);
                    if (!last && !stopEarly && hooks.ShouldYield?.Invoke() == true) return run.Result(TrainingOutcome.Yielded);
                }
                if (stopEarly) return run.Result(TrainingOutcome.EarlyStopped);
            }
            return run.Result(TrainingOutcome.Completed);
        }
        finally
        {
            if (hooks.WorkingDirectory is null && Directory.Exists(workingDirectory)) Directory.Delete(workingDirectory, recursive: true);
        }
    }

    /// <summary>One optimizer step: accumulate the step's micro-batches, clip, update. One dispose scope.</summary>
    private StepRecord TrainStep(RunState run, IReadOnlyList<TExample> train, AdamW optimizer, MasterWeights masters,
        IReadOnlyList<(string Name, Parameter Parameter)> optimized)
    {
        using var scope = NewDisposeScope();
        // 1. learning rate of this step from the schedule (a pure function of the step count)
        var learningRate = LearningRateSchedule.At(run.Step, run.TotalSteps, run.WarmupSteps, settings.LrScheduler, settings.LearningRate);
        foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;

        // 2. the step's micro-batches, and how many loss items they hold together
        var microBatches = run.NextMicroBatches(train);
        var items = microBatches.Sum(task.LossItems);
        if (items <= 0)
            throw new InvalidOperationException($"The micro-batches of step {run.Step + 1} hold no loss items (e.g. no trainable token); prepare examples so each has at least one.");

        // 3. gradients of (Σ item losses) / items, accumulated micro-batch by micro-batch
        optimizer.zero_grad();
        masters.ZeroModelGradients();
        double lossSum = 0;
        long tokens = 0;
        foreach (var microBatch in microBatches)
        {
            using var microScope = NewDisposeScope();
            var output = task.ComputeLoss(microBatch);
            (output.LossSum / items).backward();
            lossSum += output.LossSum.detach().to(ScalarType.Float64).item<double>();
            tokens += output.Tokens;
        }

        // 4. clip the global norm (reported before clipping), then update
        masters.GradientsToMasters();
        var maxNorm = settings.MaxGradNorm > 0 ? settings.MaxGradNorm : double.PositiveInfinity;
        var gradientNorm = nn.utils.clip_grad_norm_(optimized.Select(p => p.Parameter), maxNorm);
        optimizer.step();
        masters.MastersToModel();
        return new StepRecord(run.Step + 1, lossSum / items, learningRate, gradientNorm, tokens);
    }

    private IReadOnlyDictionary<string, double> Evaluate(IReadOnlyList<TExample> validation)
    {
        task.Model.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            return task.Evaluate(validation, settings.BatchSize);
        }
        finally
        {
            task.Model.train();
        }
    }

    private static async Task SaveCheckpointAsync(Func<string, int, Task> saved, string workingDirectory, RunState run,
        IReadOnlyList<(string Name, Parameter Parameter)> optimized, AdamW optimizer)
    {
        var directory = Path.Combine(workingDirectory, $"checkpoint-{run.Step:D6}");
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        using (NewDisposeScope()) TrainingCheckpoint.Write(directory, run.ToState(), optimized, optimizer);
        try
        {
            await saved(directory, run.Step).ConfigureAwait(false);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Position, schedule and history of one run; what trainer_state.json holds.</summary>
    private sealed class RunState(TrainingLoop<TExample> loop, int trainExamples)
    {
        private readonly List<StepRecord> steps = [];
        private readonly List<EvaluationRecord> evaluations = [];
        private int[]? order;
        private int orderEpoch = -1;

        public int TotalSteps { get; } = TrainingLoop<TExample>.TotalSteps(loop.settings, trainExamples);
        public int WarmupSteps => LearningRateSchedule.WarmupSteps(loop.settings.WarmupRatio, TotalSteps);
        public int Step { get; private set; }
        public int Epoch { get; private set; }
        public int MicroBatch { get; private set; }
        public EarlyStopping EarlyStopping { get; private set; } = new(loop.settings.EarlyStoppingPatience);
        public long TokensSeen { get; private set; }
        public double TrainingSeconds { get; private set; }

        public IReadOnlyList<IReadOnlyList<TExample>> NextMicroBatches(IReadOnlyList<TExample> train)
        {
            var batchSize = loop.settings.BatchSize;
            var perEpoch = MicroBatchesPerEpoch(loop.settings, train.Count);
            if (MicroBatch >= perEpoch) (Epoch, MicroBatch) = (Epoch + 1, 0);
            if (orderEpoch != Epoch) (order, orderEpoch) = (DataOrder.Permutation(loop.seed, Epoch, train.Count), Epoch);
            var batches = new List<IReadOnlyList<TExample>>();
            while (batches.Count < loop.settings.GradientAccumulationSteps && MicroBatch < perEpoch)
            {
                var start = MicroBatch * batchSize;
                var end = Math.Min(start + batchSize, train.Count);
                batches.Add([.. order![start..end].Select(i => train[i])]);
                MicroBatch++;
            }
            return batches;
        }

        public void Record(StepRecord record, double seconds)
        {
            steps.Add(record);
            Step = record.Step;
            TokensSeen += record.Tokens;
            TrainingSeconds += seconds;
        }

        public EvaluationRecord Evaluate(IReadOnlyDictionary<string, double> metrics)
        {
            var record = new EvaluationRecord(Step, metrics);
            evaluations.Add(record);
            if (metrics.TryGetValue(MetricNames.EvalLoss, out var loss)) EarlyStopping = EarlyStopping.Observe(loss);
            return record;
        }

        public TrainingResult Result(TrainingOutcome outcome) =>
            new(outcome, Step, TotalSteps, [.. steps], [.. evaluations], TokensSeen, TrainingSeconds);

        public TrainingState ToState() => new()
        {
            Step = Step,
            TotalSteps = TotalSteps,
            Epoch = Epoch,
            MicroBatch = MicroBatch,
            Seed = loop.seed,
            TrainExamples = trainExamples,
            BatchSize = loop.settings.BatchSize,
            GradientAccumulationSteps = loop.settings.GradientAccumulationSteps,
            BestEvalLoss = EarlyStopping.BestLoss,
            EvaluationsWithoutImprovement = EarlyStopping.EvaluationsWithoutImprovement,
            TokensSeen = TokensSeen,
            TrainingSeconds = TrainingSeconds,
            Steps = [.. steps],
            Evaluations = [.. evaluations],
        };

        public void Resume(TrainingState state, string source)
        {
            var mismatches = new List<string>();
            void Check<T>(string key, T saved, T now)
            {
                if (!EqualityComparer<T>.Default.Equals(saved, now)) mismatches.Add($"{key}: checkpoint {saved}, this run {now}");
            }
            Check("seed", state.Seed, loop.seed);
            Check("training examples", state.TrainExamples, trainExamples);
            Check("batch_size", state.BatchSize, loop.settings.BatchSize);
            Check("gradient_accumulation_steps", state.GradientAccumulationSteps, loop.settings.GradientAccumulationSteps);
            Check("total steps", state.TotalSteps, TotalSteps);
            if (mismatches.Count > 0)
                throw new TrainingCheckpointException($"The checkpoint in '{source}' was written by a different run ({string.Join("; ", mismatches)}). " +
                    "Resume with the same data and settings, or start a new run.");
            (Step, Epoch, MicroBatch) = (state.Step, state.Epoch, state.MicroBatch);
            EarlyStopping = EarlyStopping with { BestLoss = state.BestEvalLoss, EvaluationsWithoutImprovement = state.EvaluationsWithoutImprovement };
            (TokensSeen, TrainingSeconds) = (state.TokensSeen, state.TrainingSeconds);
            steps.AddRange(state.Steps);
            evaluations.AddRange(state.Evaluations);
        }
    }

    /// <summary>Throughput and remaining time of this slice (a resumed slice does not count the earlier ones' pace).</summary>
    private sealed class SliceClock(int firstStep)
    {
        private double seconds;
        private long tokens;

        public void Add(double stepSeconds, long stepTokens) => (seconds, tokens) = (seconds + stepSeconds, tokens + stepTokens);

        public TrainingProgress Progress(RunState run, StepRecord record)
        {
            var done = run.Step - firstStep;
            var remaining = done > 0 ? TimeSpan.FromSeconds(seconds / done * (run.TotalSteps - run.Step)) : TimeSpan.Zero;
            return new TrainingProgress(run.Step, run.TotalSteps, run.Epoch, record.Loss, record.LearningRate, record.GradientNorm,
                seconds > 0 ? tokens / seconds : 0, remaining);
        }
    }
}
