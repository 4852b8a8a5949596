using static TorchSharp.torch;

namespace Pipeline.Modeling.Tests;

internal static class TensorAssertions
{
    /// <summary>Same shape and bit-for-bit equal values.</summary>
    public static bool IsIdenticalTo(this Tensor actual, Tensor expected) =>
        actual.shape.SequenceEqual(expected.shape) && actual.eq(expected).all().item<bool>();
}
