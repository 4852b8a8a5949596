using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;

namespace Pipeline.Bench.Training;

/// <summary>What the benchmark runs; the defaults keep the whole run to a few minutes on two cores.</summary>
public sealed record TrainingBenchSettings
{
    /// <summary>Sequences per optimizer step (4).</summary>
    public int Batch { get; init; } = 4;

    /// <summary>Tokens per sequence (128); only conversations at least this long are used, so no step has padding: 512 tokens a step.</summary>
    public int SequenceLength { get; init; } = 128;

    /// <summary>Untimed steps first (2): the first allocates gradients and AdamW state.</summary>
    public int WarmUpSteps { get; init; } = 2;

    /// <summary>Timed steps (8); the median step time is reported.</summary>
    public int TimedSteps { get; init; } = 8;

    /// <summary>Side of the square fp32 matmul that measures the roof (2048: 17 GFLOP).</summary>
    public int MatmulSize { get; init; } = 2048;

    /// <summary>Byte-level BPE vocabulary asked of the trainer (4096; the 200 conversations yield about 1,700); the model's vocabulary is the tokenizer's.</summary>
    public int TokenizerVocabSize { get; init; } = 4096;

    /// <summary>LoRA/QLoRA: rank 16, alpha 32, every linear layer, dropout 0.05 (the config default).</summary>
    public LoraSettings Lora { get; init; } = new() { R = 16, Alpha = 32, TargetModules = [LoraSettings.AllLinear] };

    /// <summary>max_seq_length of the packing comparison (256): single-exchange conversations are a fraction of it.</summary>
    public int PackedSequenceLength { get; init; } = 256;

    public int Steps => WarmUpSteps + TimedSteps;

    public int TokensPerStep => Batch * SequenceLength;

    /// <summary>The trainer's settings for one method: fp32 on the CPU, no evaluation, no checkpoints.</summary>
    public SftSettings SftSettings(FineTuningMethod method) => new()
    {
        Seed = 0,
        Method = method,
        Lora = Lora,
        MaxSteps = Steps,
        BatchSize = Batch,
        MaxSeqLength = SequenceLength,
        LearningRate = method == FineTuningMethod.Full ? 2e-5 : 2e-4,
        Dtype = TrainingDtype.Float32,
        Device = TrainingDevice.Cpu,
    };
}
