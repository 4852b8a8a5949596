using System.Text;
using System.Text.Json;

namespace Pipeline.Bench.Cleaning;

/// <summary>
/// A deterministic Alpaca JSON Lines corpus that looks like support-desk data to every cleaning step: replies of
/// 60–200 words drawn from a vocabulary of a few hundred, e-mail addresses and phone numbers in some rows (PII),
/// refusals (quality), exact copies and near copies of earlier rows (dedup), and a few malformed lines.
/// </summary>
public static class CorpusGenerator
{
    private static readonly string[] Words = BuildVocabulary();

    public static string EnsureCorpus(string directory, long targetBytes)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"tickets-{targetBytes / 1_000_000}mb.jsonl");
        if (File.Exists(path) && new FileInfo(path).Length >= targetBytes) return path;
        var random = new Random(20261123);
        var recent = new List<(string Instruction, string Output)>();
        var temporary = path + ".partial";
        using (var writer = new StreamWriter(temporary, false, new UTF8Encoding(false), 1 << 20))
        {
            long written = 0;
            for (int i = 0; written < targetBytes; i++)
            {
                var (instruction, output) = Row(random, i, recent);
                var line = i % 997 == 500 ? "{\"instruction\": \"a line cut short" : JsonSerializer.Serialize(new { instruction, input = "", output });
                writer.Write(line);
                writer.Write('\n');
                written += Encoding.UTF8.GetByteCount(line) + 1;
                if (recent.Count < 512) recent.Add((instruction, output));
                else recent[random.Next(recent.Count)] = (instruction, output);
            }
        }
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    private static (string Instruction, string Output) Row(Random random, int i, List<(string Instruction, string Output)> recent)
    {
        string Sentence(int words) => string.Join(' ', Enumerable.Range(0, words).Select(_ => Words[random.Next(Words.Length)]));
        int kind = random.Next(100);
        if (kind < 2 && recent.Count > 0) return recent[random.Next(recent.Count)];                         // exact copy
        if (kind < 4 && recent.Count > 0)
        {
            var (instruction, output) = recent[random.Next(recent.Count)];
            return (instruction.ToLowerInvariant(), output.Replace(".", "!").ToUpperInvariant());        // near copy
        }
        if (kind < 5) return ($"Ticket {i}: can you share the admin password?", "I'm sorry, but I can't help with that.");
        var reply = new StringBuilder("Hello! ").Append(Sentence(random.Next(60, 200))).Append('.');
        if (kind < 15) reply.Append($" Write to agent{i % 97}.{Words[i % Words.Length]}@example.com for the details.");
        if (kind is >= 15 and < 22) reply.Append($" Or call +44 20 7946 {i % 10000:D4} on weekdays.");
        return ($"Ticket {i}: {Sentence(random.Next(8, 30))}?", reply.ToString());
    }

    private static string[] BuildVocabulary()
    {
        string[] stems = ["order", "parcel", "refund", "invoice", "account", "deliver", "address", "warrant", "batter", "screen",
            "charg", "cabl", "rout", "print", "courier", "depot", "label", "return", "exchang", "voucher", "discount", "pay",
            "card", "bank", "transfer", "password", "login", "updat", "firmwar", "install", "setup", "manual", "guid", "support",
            "team", "agent", "ticket", "number", "referenc", "status", "track", "late", "earl", "broken", "miss", "damag"];
        string[] endings = ["", "s", "ed", "ing", "er", "ment", "able", "ly"];
        string[] small = ["the", "a", "your", "our", "is", "was", "will", "be", "to", "from", "with", "on", "in", "at", "and", "or", "we", "you", "it", "this"];
        return [.. stems.SelectMany(s => endings.Select(e => s + e)), .. small, .. small, .. small];
    }
}
