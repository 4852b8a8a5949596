using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;

namespace Pipeline.Bench.Training;

/// <summary>The peft comparison's run: the quickstart's base and data at a size that runs in a few minutes on 2 cores.</summary>
public sealed record PeftComparisonSettings
{
    /// <summary>Pretraining steps of the tiny base (the quickstart's 300, batch 16 × 128 tokens), so the methods adapt a model that knows the language.</summary>
    public int PretrainSteps { get; init; } = 300;

    /// <summary>Pretraining corpus size in bytes (the quickstart writes 1.2 MB; 600 kB is enough for 300 steps).</summary>
    public long PretrainingBytes { get; init; } = 600_000;

    /// <summary>SFT conversations (system prompt, customer message, house-style reply): 800 at batch 16 is 50 steps per method.</summary>
    public int SftExamples { get; init; } = 800;

    /// <summary>Held-out conversations for eval_loss.</summary>
    public int ValidationExamples { get; init; } = 64;

    /// <summary>Held-out customer messages the greedy replies are written to and scored by the simulated labeler.</summary>
    public int EvalPrompts { get; init; } = 32;

    /// <summary>Longest greedy reply in tokens (the quickstart's feedback stage uses 96).</summary>
    public int MaxNewTokens { get; init; } = 96;

    /// <summary>
    /// Each method at its usual settings, as PEFT's examples and the papers use them, with learning rates for a
    /// model this small: full at the quickstart's 1e-3; LoRA r 8 on every linear; soft prompts and prefixes 20
    /// positions at the 1e-2 to 3e-2 their papers use; bottleneck adapters reduction 16; (IA)³ and LayerNorm tuning,
    /// which train very few scales, at 1e-2.
    /// </summary>
    public IReadOnlyList<(string Name, SftSettings Settings)> Methods { get; init; } =
    [
        ("full", Sft(FineTuningMethod.Full, 1e-3)),
        ("lora", Sft(FineTuningMethod.Lora, 3e-3) with { Lora = new LoraSettings { R = 8, Alpha = 16, Dropout = 0, TargetModules = [LoraSettings.AllLinear] } }),
        ("prompt_tuning", Sft(FineTuningMethod.PromptTuning, 3e-2)),
        ("p_tuning", Sft(FineTuningMethod.PTuning, 1e-2)),
        ("prefix_tuning", Sft(FineTuningMethod.PrefixTuning, 1e-2)),
        ("bottleneck (houlsby)", Sft(FineTuningMethod.Bottleneck, 3e-3)),
        ("bottleneck (pfeiffer)", Sft(FineTuningMethod.Bottleneck, 3e-3) with { Bottleneck = new BottleneckSettings { Placement = BottleneckPlacement.Pfeiffer } }),
        ("ln_tuning", Sft(FineTuningMethod.LnTuning, 1e-2)),
        ("ia3", Sft(FineTuningMethod.Ia3, 1e-2)),
    ];

    // The quickstart's SFT block: 1 epoch, batch 16, max_seq_length 192, warm-up 5 %; fp32 on the CPU.
    private static SftSettings Sft(FineTuningMethod method, double learningRate) => new()
    {
        Seed = 42, Method = method, Epochs = 1, BatchSize = 16, LearningRate = learningRate, WarmupRatio = 0.05, MaxSeqLength = 192,
        EvalEvery = 0, CheckpointEvery = 1000, Dtype = TrainingDtype.Float32, Device = TrainingDevice.Cpu,
    };
}
