using System.Globalization;
using System.Text;
using System.Text.Json;
using Pipeline.Data.Readers;

namespace Pipeline.Training.Feedback.HumanRatings;

/// <summary>A prompt as people ranked it: its reply ids, best first.</summary>
public sealed record RatedPrompt(CandidatePrompt Prompt, IReadOnlyList<string> Ranking);

/// <summary>What a filled-in sheet says: the ranked prompts (in the candidates' order) and how many were left unranked.</summary>
public sealed record RatingSheetContents(IReadOnlyList<RatedPrompt> Rated, int Skipped);

/// <summary>A sheet that does not match its candidates or cannot be read; the message names the file and line.</summary>
public sealed class RatingSheetException(string message) : Exception(message);

/// <summary>
/// Reads a filled-in rating sheet back against the candidates it was exported from. Every candidate prompt must have its
/// row(s) and no others (a missing or an extra row is an error, not a silent skip); a ranking names each of the prompt's
/// replies exactly once (no unknown ids, no ties: two replies ranked alike cannot make a pair), or none to skip the prompt.
/// </summary>
public static class RatingSheetReader
{
    public static RatingSheetContents Read(string path, IReadOnlyList<CandidatePrompt> candidates)
    {
        if (!File.Exists(path)) throw new RatingSheetException($"{path}: the sheet does not exist.");
        var byId = candidates.ToDictionary(c => c.PromptId, StringComparer.Ordinal);
        var rankings = Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase) ? ReadCsv(path, byId) : ReadJsonl(path, byId);
        var missing = candidates.Where(c => !rankings.ContainsKey(c.PromptId)).Select(c => c.PromptId).ToList();
        if (missing.Count > 0)
            throw new RatingSheetException($"{path}: {missing.Count} prompt{(missing.Count == 1 ? " has" : "s have")} no row ({Few(missing)}); " +
                                           "the sheet must keep every row export wrote (leave a ranking empty to skip a prompt).");
        var rated = candidates.Where(c => rankings[c.PromptId].Count > 0).Select(c => new RatedPrompt(c, rankings[c.PromptId])).ToList();
        return new RatingSheetContents(rated, candidates.Count - rated.Count);
    }

    /// <summary>A line per prompt: {"prompt_id": ..., "ranking": [reply ids, best first]} (other keys are ignored).</summary>
    private static Dictionary<string, IReadOnlyList<string>> ReadJsonl(string path, Dictionary<string, CandidatePrompt> candidates)
    {
        var rankings = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var at = $"{path}:{number}";
            JsonElement row;
            try
            {
                row = JsonDocument.Parse(line).RootElement;
            }
            catch (JsonException e)
            {
                throw new RatingSheetException($"{at}: not a JSON line ({e.Message.Split(" Path:")[0]}).");
            }
            if (row.ValueKind != JsonValueKind.Object || !row.TryGetProperty("prompt_id", out var id) || id.ValueKind != JsonValueKind.String)
                throw new RatingSheetException($"{at}: a row needs \"prompt_id\" (a string) as export wrote it.");
            var prompt = Known(at, id.GetString()!, candidates, lines, number);
            if (!row.TryGetProperty("ranking", out var ranking) || ranking.ValueKind != JsonValueKind.Array || ranking.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.String))
                throw new RatingSheetException($"{at}: \"ranking\" must be a list of reply ids, best first (or [] to skip the prompt).");
            var ids = ranking.EnumerateArray().Select(r => r.GetString()!).ToList();
            if (ids.Count > 0) CheckRanking(at, prompt, ids);
            rankings[prompt.PromptId] = ids;
        }
        return rankings;
    }

    /// <summary>A row per reply with prompt_id, reply_id and rank (1 = best), in any column order; other columns are ignored.</summary>
    private static Dictionary<string, IReadOnlyList<string>> ReadCsv(string path, Dictionary<string, CandidatePrompt> candidates)
    {
        var records = Records(path).ToList();
        if (records.Count == 0) throw new RatingSheetException($"{path}: the sheet is empty; it needs the header {string.Join(',', RatingSheet.CsvColumns)}.");
        var header = records[0].Fields;
        int Column(string name) => header.IndexOf(name) is var i and >= 0 ? i
            : throw new RatingSheetException($"{path}:{records[0].Line}: the header has no {name} column; export writes {string.Join(',', RatingSheet.CsvColumns)}.");
        var (promptColumn, replyColumn, rankColumn) = (Column("prompt_id"), Column("reply_id"), Column("rank"));

        // prompt → (reply → (rank or null, line))
        var ranks = new Dictionary<string, Dictionary<string, (int? Rank, int Line)>>(StringComparer.Ordinal);
        foreach (var (line, fields) in records.Skip(1))
        {
            var at = $"{path}:{line}";
            if (fields.Count != header.Count) throw new RatingSheetException($"{at}: {fields.Count} fields, but the header has {header.Count}.");
            if (!candidates.TryGetValue(fields[promptColumn], out var prompt))
                throw new RatingSheetException($"{at}: prompt_id '{fields[promptColumn]}' is not among the candidates (an extra row).");
            var replies = ranks.TryGetValue(prompt.PromptId, out var seen) ? seen : ranks[prompt.PromptId] = new(StringComparer.Ordinal);
            var reply = fields[replyColumn];
            if (prompt.Replies.All(r => r.Id != reply))
                throw new RatingSheetException($"{at}: reply_id '{reply}' is not a reply of prompt '{prompt.PromptId}' (its replies: {string.Join(", ", prompt.Replies.Select(r => r.Id))}).");
            if (replies.TryGetValue(reply, out var earlier))
                throw new RatingSheetException($"{at}: reply '{reply}' appears again (first on line {earlier.Line}).");
            var text = fields[rankColumn].Trim();
            int? rank = null;
            if (text.Length > 0)
            {
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1 || value > prompt.Replies.Count)
                    throw new RatingSheetException($"{at}: rank '{text}' is not a whole number from 1 (best) to {prompt.Replies.Count}.");
                rank = value;
            }
            replies[reply] = (rank, line);
        }

        var rankings = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (promptId, replies) in ranks)
        {
            var prompt = candidates[promptId];
            var at = $"{path}:{replies.Values.Min(r => r.Line)}";
            var absent = prompt.Replies.Select(r => r.Id).Where(id => !replies.ContainsKey(id)).ToList();
            if (absent.Count > 0) throw new RatingSheetException($"{at}: prompt '{promptId}' has no row for {Few(absent)} (a missing row); keep every reply's row.");
            if (replies.Values.All(r => r.Rank is null))
            {
                rankings[promptId] = [];
                continue;
            }
            var unranked = replies.Where(r => r.Value.Rank is null).Select(r => r.Key).ToList();
            if (unranked.Count > 0)
                throw new RatingSheetException($"{at}: prompt '{promptId}': {Few(unranked)} {(unranked.Count == 1 ? "has" : "have")} no rank; rank all of a prompt's replies or none (to skip it).");
            var tie = replies.GroupBy(r => r.Value.Rank).FirstOrDefault(g => g.Count() > 1);
            if (tie is not null)
                throw new RatingSheetException($"{path}:{tie.Max(r => r.Value.Line)}: prompt '{promptId}': replies {string.Join(" and ", tie.Select(r => r.Key))} share rank {tie.Key}; " +
                                               "a tie makes no preference pair: give each reply its own rank.");
            rankings[promptId] = [.. replies.OrderBy(r => r.Value.Rank).Select(r => r.Key)];
        }
        return rankings;
    }

    private static CandidatePrompt Known(string at, string promptId, Dictionary<string, CandidatePrompt> candidates, Dictionary<string, int> lines, int line)
    {
        if (!candidates.TryGetValue(promptId, out var prompt))
            throw new RatingSheetException($"{at}: prompt_id '{promptId}' is not among the candidates (an extra row).");
        if (lines.TryGetValue(promptId, out var first))
            throw new RatingSheetException($"{at}: prompt '{promptId}' appears again (first on line {first}).");
        lines[promptId] = line;
        return prompt;
    }

    private static void CheckRanking(string at, CandidatePrompt prompt, IReadOnlyList<string> ids)
    {
        var replies = prompt.Replies.Select(r => r.Id).ToList();
        if (ids.FirstOrDefault(id => !replies.Contains(id)) is { } unknown)
            throw new RatingSheetException($"{at}: reply id '{unknown}' is not a reply of prompt '{prompt.PromptId}' (its replies: {string.Join(", ", replies)}).");
        if (ids.GroupBy(id => id).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new RatingSheetException($"{at}: reply '{twice.Key}' is ranked twice; rank each reply once, best first.");
        var absent = replies.Where(id => !ids.Contains(id)).ToList();
        if (absent.Count > 0)
            throw new RatingSheetException($"{at}: the ranking leaves out {Few(absent)}; rank every reply of the prompt, best first, or leave the ranking empty to skip it.");
    }

    /// <summary>The CSV's records with the line each starts on (a quoted field may span lines).</summary>
    private static IEnumerable<(int Line, List<string> Fields)> Records(string path)
    {
        var data = File.ReadAllBytes(path).AsMemory();
        if (data.Span.StartsWith("\uFEFF"u8)) data = data[3..];   // a spreadsheet's byte-order mark
        var line = 1;
        while (data.Length > 0)
        {
            var length = CsvTokenizer.FindRecordEnd(data.Span, isFinalBlock: true);
            var record = data.Span[..length];
            var lines = record.Count((byte)'\n');
            var content = record.TrimEnd("\r\n"u8);
            if (content.Length > 0)
            {
                var fields = new List<string>();
                if (!CsvTokenizer.TryParseFields(content, fields, out var error)) throw new RatingSheetException($"{path}:{line}: {error}");
                yield return (line, fields);
            }
            line += lines;
            data = data[length..];
        }
    }

    private static string Few(IReadOnlyList<string> ids) =>
        string.Join(", ", ids.Take(5).Select(id => $"'{id}'")) + (ids.Count > 5 ? $" and {ids.Count - 5} more" : "");
}
