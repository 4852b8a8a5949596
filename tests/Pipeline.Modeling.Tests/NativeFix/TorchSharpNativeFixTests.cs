using TorchSharp;

namespace Pipeline.Modeling.Tests.NativeFix;

/// <summary>The build step of build/TorchSharpNativeFix.targets made TorchSharp's native library loadable here.</summary>
public sealed class TorchSharpNativeFixTests
{
    private static string NativeLibraryInOutput()
    {
        var candidates = new[] { Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so") }
            .Concat(Directory.Exists(Path.Combine(AppContext.BaseDirectory, "runtimes"))
                ? Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "runtimes"), "libLibTorchSharp.so", SearchOption.AllDirectories)
                : []);
        return candidates.First(File.Exists);
    }

    [Fact]
    public void First_tensor_operation_runs()
    {
        using var ones = torch.ones(2, 2);
        using var sum = ones.sum();
        Assert.Equal(4f, sum.item<float>());
    }

    [Fact]
    public void Output_library_requires_GLIBCXX_3_4_32_weakly_and_nothing_else_changed()
    {
        var path = NativeLibraryInOutput();
        var needs = ElfVersionTools.ReadVersionNeeds(File.ReadAllBytes(path), path);

        var glibcxx32 = Assert.Single(needs, n => n.Version == "GLIBCXX_3.4.32");
        Assert.Equal("libstdc++.so.6", glibcxx32.Dependency);
        var systemHasIt = File.Exists("/usr/lib/x86_64-linux-gnu/libstdc++.so.6")
            && ElfVersionTools.DefinesVersion("/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "GLIBCXX_3.4.32");
        Assert.Equal(systemHasIt ? 0 : ElfVersionTools.VerFlagWeak, glibcxx32.Flags);

        // Every other requirement (GLIBCXX_3.4.30, GLIBC_2.34, ...) stays strong.
        Assert.All(needs.Where(n => n.Version != "GLIBCXX_3.4.32"), n => Assert.Equal(0, n.Flags));
        Assert.Contains(needs, n => n.Dependency == "libc.so.6" && n.Version == "GLIBC_2.34");
    }

    [Fact]
    public void Weakening_is_idempotent_and_touches_only_the_flags()
    {
        var source = NativeLibraryInOutput();
        using var folder = new TempFolder();
        var copy = folder.PathOf("libLibTorchSharp.so");
        File.Copy(source, copy);
        var before = File.ReadAllBytes(copy);
        ElfVersionTools.WeakenVersionNeed(copy, "libstdc++.so.6", "GLIBCXX_3.4.32");
        var once = File.ReadAllBytes(copy);
        Assert.False(ElfVersionTools.WeakenVersionNeed(copy, "libstdc++.so.6", "GLIBCXX_3.4.32"));
        Assert.Equal(once, File.ReadAllBytes(copy));

        var changedBytes = Enumerable.Range(0, before.Length).Count(i => before[i] != once[i]);
        Assert.InRange(changedBytes, 0, 1);   // one flag byte at most (0 when the copy was already weak)
    }

    [Fact]
    public void A_missing_requirement_is_an_error_naming_the_file_and_version()
    {
        var source = NativeLibraryInOutput();
        var error = Assert.Throws<InvalidDataException>(() => ElfVersionTools.WeakenVersionNeed(source, "libstdc++.so.6", "GLIBCXX_9.9.9"));
        Assert.Contains("GLIBCXX_9.9.9", error.Message);
        Assert.Contains(source, error.Message);
    }

    [Fact]
    public void System_libstdcxx_version_definitions_are_read()
    {
        string[] candidates = ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6"];
        var path = candidates.First(File.Exists);
        var versions = ElfVersionTools.ReadVersionDefinitions(File.ReadAllBytes(path), path);
        Assert.Contains("GLIBCXX_3.4", versions);
        Assert.Contains("CXXABI_1.3", versions);
    }
}
