using System.Runtime.CompilerServices;
using TorchSharp;

namespace Pipeline.Training.Tests.Support;

internal static class TorchTestSetup
{
    // Two intra-op threads, fixed, so reductions split the same way in every run (exact-resume compares bits).
    [ModuleInitializer]
    internal static void Initialize() => torch.set_num_threads(2);
}
