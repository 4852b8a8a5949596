using System.Text;
using System.Text.Json;

namespace Pipeline.IntegrationTests.Infrastructure;

/// <summary>Deterministic Alpaca-style support tickets for the tests, with optional malformed lines.</summary>
public static class SupportData
{
    public static string WriteAlpacaJsonl(string directory, int rows, bool withBadLines = false)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "tickets.jsonl");
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        for (var i = 0; i < rows; i++)
        {
            writer.WriteLine(JsonSerializer.Serialize(new
            {
                instruction = $"Ticket {i}: my parcel {i * 7919 % 100_000} is late, what can I do?",
                input = "",
                output = $"Hello! Sorry about parcel {i * 7919 % 100_000}. It should arrive within {1 + i % 5} days; reply here if it does not.",
            }));
            if (withBadLines && i == 2) writer.WriteLine("{\"instruction\": \"broken");
            if (withBadLines && i == 4) writer.WriteLine("{\"instruction\": \"no output field\"}");
        }
        return path;
    }
}
