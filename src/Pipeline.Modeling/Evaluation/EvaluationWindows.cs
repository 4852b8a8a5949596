namespace Pipeline.Modeling.Evaluation;

/// <summary>A slice <c>[Start, End)</c> of a document fed to the model at once, scoring positions <c>[TargetStart, End)</c>.</summary>
public readonly record struct EvaluationWindow(int Start, int End, int TargetStart);

/// <summary>
/// Cuts a document longer than the model's context into windows, as the transformers perplexity guide does with a
/// stride: each window scores <c>stride</c> new tokens and gives them the preceding tokens as context, up to
/// <c>maxLength</c> in all. Every position but the first is scored exactly once; the first is not, since nothing
/// precedes it. With <c>stride = maxLength − 1</c> consecutive windows share one token (no token loses its
/// predecessor); a smaller stride gives every scored token more context at more compute.
/// </summary>
public static class EvaluationWindows
{
    public static IReadOnlyList<EvaluationWindow> Plan(int length, int maxLength, int stride)
    {
        if (maxLength < 2) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "a window needs at least 2 tokens (one to predict from, one to score)");
        if (stride < 1 || stride > maxLength - 1)
            throw new ArgumentOutOfRangeException(nameof(stride), stride, $"must be between 1 and max length − 1 = {maxLength - 1}");
        var windows = new List<EvaluationWindow>();
        for (var targetStart = 1; targetStart < length; targetStart += stride)
        {
            var end = Math.Min(targetStart + stride, length);
            windows.Add(new EvaluationWindow(Math.Max(0, end - maxLength), end, targetStart));
        }
        return windows;
    }
}
