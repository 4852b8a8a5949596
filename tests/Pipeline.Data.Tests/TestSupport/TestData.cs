using System.Text.Json;

namespace Pipeline.Data.Tests.TestSupport;

/// <summary>Deterministic little datasets: the same arguments always give the same text.</summary>
public static class TestData
{
    /// <summary>Alpaca JSON Lines records; record i asks about topic i (so all are distinct).</summary>
    public static string[] AlpacaLines(int count, int offset = 0) =>
        Enumerable.Range(offset, count)
            .Select(i => JsonSerializer.Serialize(new { instruction = $"Explain topic {i}.", input = i % 3 == 0 ? $"Context {i}" : "", output = $"Topic {i} is about {Word(i)}." }))
            .ToArray();

    private static string Word(int i) => new[] { "rivers", "stars", "bread", "music", "trains", "bees", "clouds" }[i % 7];
}
