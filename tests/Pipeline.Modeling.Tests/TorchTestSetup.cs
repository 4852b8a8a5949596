using System.Runtime.CompilerServices;
using TorchSharp;

namespace Pipeline.Modeling.Tests;

internal static class TorchTestSetup
{
    // CI machines have 2 cores and xunit runs test classes in parallel: one intra-op thread each.
    [ModuleInitializer]
    internal static void Initialize() => torch.set_num_threads(1);
}
