using System.Reflection;
using System.Runtime.CompilerServices;
using TorchSharp;

namespace Pipeline.Tests;

/// <summary>
/// Fixes TorchSharp's intra-op thread count before any test of the assembly runs. CI machines have 2 cores and xunit
/// runs test classes in parallel, so the default is one thread each; a project that needs another fixed count says so
/// in its csproj (<c>&lt;AssemblyMetadata Include="TorchIntraOpThreads" Value="2" /&gt;</c>).
/// </summary>
internal static class TorchTestSetup
{
    public const string ThreadsKey = "TorchIntraOpThreads";

    [ModuleInitializer]
    internal static void Initialize() => torch.set_num_threads(IntraOpThreads);

    public static int IntraOpThreads =>
        typeof(TorchTestSetup).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == ThreadsKey)?.Value is { } threads ? int.Parse(threads) : 1;
}
