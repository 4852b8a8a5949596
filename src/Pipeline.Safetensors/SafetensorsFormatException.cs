namespace Pipeline.Safetensors;

/// <summary>
/// A safetensors file or a sharded checkpoint index is malformed. The message names the file,
/// the tensor (when one is at fault) and what is wrong.
/// </summary>
public sealed class SafetensorsFormatException : Exception
{
    public SafetensorsFormatException(string filePath, string? tensorName, string problem, Exception? inner = null)
        : base(Compose(filePath, tensorName, problem), inner)
    {
        FilePath = filePath;
        TensorName = tensorName;
        Problem = problem;
    }

    /// <summary>The file at fault (a .safetensors file or a model.safetensors.index.json).</summary>
    public string FilePath { get; }

    /// <summary>The tensor at fault, or null when the problem is not about one tensor.</summary>
    public string? TensorName { get; }

    /// <summary>What is wrong, without the file and tensor prefix.</summary>
    public string Problem { get; }

    private static string Compose(string filePath, string? tensorName, string problem) =>
        tensorName is null
            ? $"Invalid safetensors data in '{filePath}': {problem}"
            : $"Invalid safetensors data in '{filePath}', tensor '{tensorName}': {problem}";
}
