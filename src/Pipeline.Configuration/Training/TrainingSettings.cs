using Pipeline.Configuration.Validation;
using Pipeline.Contracts;

namespace Pipeline.Configuration.Training;

/// <summary>
/// The training block shared by sft, reward_model, ppo and dpo: which parameters train, the optimizer
/// (AdamW) and its schedule, batching, evaluation and checkpoint cadence, and the device. Each stage
/// record inherits it and adds its own keys; a stage changes a default in its constructor.
/// </summary>
public abstract record TrainingSettings : StageSettings, IValidatableSettings
{
    /// <summary>
    /// Which parameters train, default full. lora/qlora train adapters (set <see cref="Lora"/>), freeze
    /// keeps some layers fixed (<see cref="Freeze"/>), bitfit trains biases only, prompt_tuning trains
    /// virtual tokens (<see cref="PromptTuning"/>), prefix_tuning per-layer key/value prefixes, p_tuning a prompt
    /// encoder, bottleneck small adapters after the sublayers, ln_tuning the norms, ia3 rescaling vectors (each with
    /// its own block). Not every stage takes every method; a stage refuses the ones it cannot use and says why.
    /// </summary>
    public FineTuningMethod Method { get; init; } = FineTuningMethod.Full;

    /// <summary>Adapter settings; only meaningful (and only allowed) with method lora or qlora.</summary>
    public LoraSettings Lora { get; init; } = new();

    /// <summary>What to freeze; only meaningful (and only allowed) with method freeze.</summary>
    public FreezeSettings Freeze { get; init; } = new();

    /// <summary>Virtual tokens; only meaningful (and only allowed) with method prompt_tuning.</summary>
    public PromptTuningSettings PromptTuning { get; init; } = new();

    /// <summary>Prefix settings; only meaningful (and only allowed) with method prefix_tuning.</summary>
    public PrefixTuningSettings PrefixTuning { get; init; } = new();

    /// <summary>Prompt-encoder settings; only meaningful (and only allowed) with method p_tuning.</summary>
    public PTuningSettings PTuning { get; init; } = new();

    /// <summary>Adapter size and placement; only meaningful (and only allowed) with method bottleneck.</summary>
    public BottleneckSettings Bottleneck { get; init; } = new();

    /// <summary>Which norms train; only meaningful (and only allowed) with method ln_tuning.</summary>
    public LnTuningSettings LnTuning { get; init; } = new();

    /// <summary>Which modules are rescaled; only meaningful (and only allowed) with method ia3.</summary>
    public Ia3Settings Ia3 { get; init; } = new();

    /// <summary>Passes over the training data, default 1: post-training overfits quickly after that.</summary>
    [Range(1, 1000)]
    public int Epochs { get; init; } = 1;

    /// <summary>
    /// Optimizer steps to stop after, default -1: train for <see cref="Epochs"/>. A positive value
    /// overrides epochs (handy for quick runs); 0 is not allowed.
    /// </summary>
    [Range(-1, double.PositiveInfinity)]
    public int MaxSteps { get; init; } = -1;

    /// <summary>Examples per forward/backward pass, default 8 (memory-bound; raise accumulation instead).</summary>
    [Range(1, 65_536)]
    public int BatchSize { get; init; } = 8;

    /// <summary>
    /// Micro-batches whose gradients add up to one optimizer step, default 1. The effective batch is
    /// batch_size × gradient_accumulation_steps.
    /// </summary>
    [Range(1, 65_536)]
    public int GradientAccumulationSteps { get; init; } = 1;

    /// <summary>
    /// Peak AdamW learning rate after warm-up. Default 2e-5 for full SFT (the TRL/Alpaca range); the
    /// reward model, PPO and DPO stages lower it. LoRA usually wants about 10× more (1e-4 to 2e-4).
    /// </summary>
    [Range(0, 1, MinimumIsExclusive = true)]
    public double LearningRate { get; init; } = 2e-5;

    /// <summary>Decay after warm-up, default cosine (to zero at the last step), as in most recipes.</summary>
    public LearningRateScheduler LrScheduler { get; init; } = LearningRateScheduler.Cosine;

    /// <summary>Share of the steps spent warming up linearly from zero, default 0.03 (Alpaca's value).</summary>
    [Range(0, 1, MaximumIsExclusive = true)]
    public double WarmupRatio { get; init; } = 0.03;

    /// <summary>AdamW decoupled weight decay, default 0: fine-tuning runs are too short for it to matter much.</summary>
    [Range(0, 1)]
    public double WeightDecay { get; init; }

    /// <summary>Clip the global gradient norm to this, default 1.0 (the HF default); 0 turns clipping off.</summary>
    [Range(0, 1000)]
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Longest sequence in tokens (prompt + completion); longer examples are truncated. Default 512.</summary>
    [Range(8, 131_072)]
    public int MaxSeqLength { get; init; } = 512;

    /// <summary>Evaluate on the validation split every this many optimizer steps, default 50; 0: only at the end.</summary>
    [Range(0, double.PositiveInfinity)]
    public int EvalEvery { get; init; } = 50;

    /// <summary>
    /// Save a resumable checkpoint every this many optimizer steps, default 50: a crash or broker
    /// redelivery then loses at most that much work.
    /// </summary>
    [Range(1, double.PositiveInfinity)]
    public int CheckpointEvery { get; init; } = 50;

    /// <summary>
    /// Stop after this many evaluations without a better validation loss, default 0 (off). Needs
    /// eval_every above 0.
    /// </summary>
    [Range(0, 1000)]
    public int EarlyStoppingPatience { get; init; }

    /// <summary>Weights and compute type, default auto (bfloat16 where fast, else float32).</summary>
    public TrainingDtype Dtype { get; init; } = TrainingDtype.Auto;

    /// <summary>Where to train, default auto (CUDA when present, else CPU).</summary>
    public TrainingDevice Device { get; init; } = TrainingDevice.Auto;

    // The blocks that belong to one method each, keyed by the method's own spelling.
    private static readonly (string Key, FineTuningMethod Method)[] MethodBlocks =
    [
        ("prefix_tuning", FineTuningMethod.PrefixTuning), ("p_tuning", FineTuningMethod.PTuning), ("bottleneck", FineTuningMethod.Bottleneck),
        ("ln_tuning", FineTuningMethod.LnTuning), ("ia3", FineTuningMethod.Ia3),
    ];

    /// <summary>Why this stage cannot train with <see cref="Method"/>, or null when it can (see <see cref="MethodSupport"/>).</summary>
    protected virtual string? MethodRefusal => null;

    void IValidatableSettings.Validate(SettingsValidationContext context) => Validate(context);

    /// <summary>Rules across this block's keys; stages add theirs and call this.</summary>
    protected virtual void Validate(SettingsValidationContext context)
    {
        if (context.IsValid("method"))
        {
            var method = Validation.ConfigNaming.NameOf(Method);
            if (MethodRefusal is { } refusal) context.Error("method", refusal);
            if (context.IsSet("lora") && context.IsBound("lora") && Method is not (FineTuningMethod.Lora or FineTuningMethod.Qlora))
                context.Error("lora", $"only used when method is lora or qlora, but method is {method}; set method: lora or remove this block");
            if (context.IsSet("freeze") && context.IsBound("freeze") && Method != FineTuningMethod.Freeze)
                context.Error("freeze", $"only used when method is freeze, but method is {method}; set method: freeze or remove this block");
            if (context.IsSet("prompt_tuning") && context.IsBound("prompt_tuning") && Method != FineTuningMethod.PromptTuning)
                context.Error("prompt_tuning", $"only used when method is prompt_tuning, but method is {method}; set method: prompt_tuning or remove this block");
            foreach (var (key, owner) in MethodBlocks)
                if (context.IsSet(key) && context.IsBound(key) && Method != owner)
                    context.Error(key, $"only used when method is {key}, but method is {method}; set method: {key} or remove this block");
            if (Method == FineTuningMethod.Freeze && context.IsValid("freeze") && Freeze.Layers.Count == 0 && !Freeze.Embeddings)
                context.Error("freeze", "freezes nothing (no layers, embeddings: false), which is full fine-tuning; list freeze.layers or use method: full");
        }
        if (context.IsValid("max_steps") && MaxSteps == 0)
            context.Error("max_steps", "0 would train nothing; use -1 to train for the given epochs, or a positive number of steps");
        if (context.IsValid("early_stopping_patience", "eval_every") && EarlyStoppingPatience > 0 && EvalEvery == 0)
            context.Error("early_stopping_patience", "needs evaluations during training, but eval_every is 0; set eval_every to a number of steps");
    }
}
