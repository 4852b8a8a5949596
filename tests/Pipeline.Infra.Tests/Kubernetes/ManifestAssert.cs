namespace Pipeline.Infra.Tests.Kubernetes;

/// <summary>Assertions that list every problem found, one per line, instead of stopping at the first.</summary>
public static class ManifestAssert
{
    public static void NoProblems(IEnumerable<string> problems, string what)
    {
        var list = problems.ToList();
        Assert.True(list.Count == 0, $"{what}: {list.Count} problem(s):\n  " + string.Join("\n  ", list));
    }

    public static void SameNames(IEnumerable<string> expected, IEnumerable<string> actual, string what)
    {
        var expectedSet = expected.ToHashSet();
        var actualSet = actual.ToHashSet();
        var missing = expectedSet.Except(actualSet).Order().ToList();
        var extra = actualSet.Except(expectedSet).Order().ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"{what}: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", extra)}].");
    }
}
