using Pipeline.Data;

namespace Pipeline.Training.Stages.Synthesis;

/// <summary>
/// One example shown to the generator: a conversation's first user message and the assistant's reply to it, with the
/// system message it ran under (new rows run under the same one).
/// </summary>
public sealed record SeedExample(string? System, string Instruction, string Response)
{
    /// <summary>The seeds a dataset offers: every conversation with a user message answered by the assistant (preference pairs are not shown).</summary>
    public static IReadOnlyList<SeedExample> From(IEnumerable<Example> rows)
    {
        var seeds = new List<SeedExample>();
        foreach (var row in rows.Where(r => r.Chosen is null))
        {
            var user = row.Messages.ToList().FindIndex(m => m.Role == ChatRoles.User);
            if (user < 0 || user + 1 >= row.Messages.Count || row.Messages[user + 1].Role != ChatRoles.Assistant) continue;
            var system = row.Messages.Take(user).FirstOrDefault(m => m.Role == ChatRoles.System)?.Content;
            seeds.Add(new SeedExample(system, row.Messages[user].Content, row.Messages[user + 1].Content));
        }
        return seeds;
    }
}
