using System.Text.Json;
using System.Text.Json.Serialization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Training.Checkpoints;

/// <summary>
/// A resumable checkpoint folder:
/// <list type="bullet">
/// <item><c>trainer_state.json</c>: step, data position, early-stopping state, metric history (<see cref="TrainingState"/>);</item>
/// <item><c>trainable.safetensors</c>: the optimized parameters by name (all of them for full fine-tuning, the
/// adapter's for LoRA; float32 master copies when the model computes in bfloat16);</item>
/// <item><c>optimizer.safetensors</c>: AdamW's <c>{name}.exp_avg</c>, <c>{name}.exp_avg_sq</c> and <c>{name}.step</c>;</item>
/// <item><c>rng_state.safetensors</c>: the CPU torch generator's state (dropout draws continue where they were).</item>
/// </list>
/// Safetensors rather than TorchSharp's own optimizer format: the files name every tensor, can be read by any
/// tool, and a mismatch is reported by name.
/// </summary>
public static class TrainingCheckpoint
{
    public const string StateFile = "trainer_state.json";
    public const string TrainableFile = "trainable.safetensors";
    public const string OptimizerFile = "optimizer.safetensors";
    public const string RngFile = "rng_state.safetensors";
    private const string CpuGenerator = "torch.cpu";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // Losses can be NaN and the best loss starts at +∞; JSON has no literal for either.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <param name="parameters">The optimized parameters, in the optimizer's order (group by group).</param>
    public static void Write(string directory, TrainingState state, IReadOnlyList<(string Name, Parameter Parameter)> parameters, AdamW optimizer)
    {
        WriteTensors(directory, parameters, optimizer);
        // Written last: a folder with trainer_state.json is complete.
        File.WriteAllText(Path.Combine(directory, StateFile), JsonSerializer.Serialize(state, Json));
    }

    /// <summary>The trainable, optimizer and RNG files; the caller writes its own state file last.</summary>
    public static void WriteTensors(string directory, IReadOnlyList<(string Name, Parameter Parameter)> parameters, AdamW optimizer)
    {
        Directory.CreateDirectory(directory);
        TensorFile.Write(Path.Combine(directory, TrainableFile), parameters.Select(p => (p.Name, (Tensor)p.Parameter)));
        var states = AdamStates(parameters, optimizer);
        TensorFile.Write(Path.Combine(directory, OptimizerFile), parameters.Zip(states).SelectMany(p => new[]
        {
            ($"{p.First.Name}.exp_avg", p.Second.exp_avg),
            ($"{p.First.Name}.exp_avg_sq", p.Second.exp_avg_sq),
            ($"{p.First.Name}.step", tensor(p.Second.step)),
        }));
        using (var rng = torch.get_rng_state())
            TensorFile.Write(Path.Combine(directory, RngFile), [(CpuGenerator, rng)]);
    }

    /// <summary>Writes a state record as this class writes trainer_state.json (snake_case, NaN and ∞ allowed).</summary>
    public static void WriteJson<T>(string path, T state) => File.WriteAllText(path, JsonSerializer.Serialize(state, Json));

    /// <summary>Reads a state record written by <see cref="WriteJson{T}"/>; a missing or malformed file is a checkpoint error naming it.</summary>
    public static T ReadJson<T>(string directory, string fileName) where T : class
    {
        var path = Path.Combine(directory, fileName);
        if (!File.Exists(path))
            throw new TrainingCheckpointException($"'{directory}' is not a complete training checkpoint: {fileName} is missing (it is written last).");
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json) ?? throw new TrainingCheckpointException($"{path} holds null.");
        }
        catch (JsonException e)
        {
            throw new TrainingCheckpointException($"{path} is not a valid checkpoint state (line {e.LineNumber + 1}): {e.Message}", e);
        }
    }

    /// <summary>Reads only trainer_state.json.</summary>
    public static TrainingState ReadState(string directory)
    {
        var path = Path.Combine(directory, StateFile);
        if (!File.Exists(path))
            throw new TrainingCheckpointException($"'{directory}' is not a complete training checkpoint: {StateFile} is missing (it is written last).");
        try
        {
            var state = JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(path), Json)
                ?? throw new TrainingCheckpointException($"{path} holds null.");
            if (state.FormatVersion != TrainingState.CurrentFormatVersion)
                throw new TrainingCheckpointException($"{path} has format_version {state.FormatVersion}; this version reads {TrainingState.CurrentFormatVersion}.");
            return state;
        }
        catch (JsonException e)
        {
            throw new TrainingCheckpointException($"{path} is not a valid trainer state (line {e.LineNumber + 1}): {e.Message}", e);
        }
    }

    /// <summary>Restores parameters, optimizer moments and steps, and the torch RNG from the folder.</summary>
    public static void Restore(string directory, IReadOnlyList<(string Name, Parameter Parameter)> parameters, AdamW optimizer)
    {
        foreach (var file in new[] { TrainableFile, OptimizerFile, RngFile })
        {
            if (!File.Exists(Path.Combine(directory, file)))
                throw new TrainingCheckpointException($"'{directory}' is not a complete training checkpoint: {file} is missing.");
        }
        TensorFile.ReadInto(Path.Combine(directory, TrainableFile), [.. parameters.Select(p => (p.Name, (Tensor)p.Parameter))]);

        var states = AdamStates(parameters, optimizer);
        var steps = parameters.Select(_ => tensor(0L)).ToList();
        try
        {
            TensorFile.ReadInto(Path.Combine(directory, OptimizerFile), [.. parameters.Zip(states, steps).SelectMany(p => new[]
            {
                ($"{p.First.Name}.exp_avg", p.Second.exp_avg),
                ($"{p.First.Name}.exp_avg_sq", p.Second.exp_avg_sq),
                ($"{p.First.Name}.step", p.Third),
            })]);
            for (var i = 0; i < states.Count; i++) states[i].step = steps[i].item<long>();
        }
        finally
        {
            foreach (var step in steps) step.Dispose();
        }

        using var rng = torch.get_rng_state();
        TensorFile.ReadInto(Path.Combine(directory, RngFile), [(CpuGenerator, rng)]);
        torch.set_rng_state(rng);
    }

    private static IReadOnlyList<AdamW.State> AdamStates(IReadOnlyList<(string Name, Parameter Parameter)> parameters, AdamW optimizer)
    {
        var states = optimizer.state_dict().State.Cast<AdamW.State>().ToList();
        if (states.Count != parameters.Count)
            throw new InvalidOperationException($"The optimizer holds {states.Count} parameter states but {parameters.Count} parameters were given.");
        return states;
    }
}
