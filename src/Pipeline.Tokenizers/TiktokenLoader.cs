using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Pipeline.Tokenizers;

/// <summary>
/// Loads a tiktoken BPE file (one "base64-token rank" per line, as Llama 3's original tokenizer.model and
/// OpenAI's *.tiktoken files) through Microsoft.ML.Tokenizers' TiktokenTokenizer. The file has no regex
/// and no special tokens: the regex defaults to the cl100k / Llama 3 pattern and the special tokens come
/// from tokenizer_config.json's added_tokens_decoder.
/// </summary>
public static class TiktokenLoader
{
    /// <summary>The cl100k_base word regex, which Llama 3 also uses.</summary>
    public const string Cl100kPattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private static readonly Regex LinePattern = new(@"^([A-Za-z0-9+/]+={0,2}) (\d+)$", RegexOptions.CultureInvariant);

    /// <summary>True when the file's first line looks like "base64 rank" (a SentencePiece model is binary protobuf).</summary>
    public static bool LooksLikeTiktoken(string path)
    {
        using var reader = new StreamReader(path, Encoding.ASCII);
        var buffer = new char[256];
        var read = reader.Read(buffer, 0, buffer.Length);
        var text = new string(buffer, 0, read);
        var firstLine = text.Split('\n')[0].TrimEnd('\r');
        return LinePattern.IsMatch(firstLine);
    }

    public static ITextTokenizer Load(string path, IReadOnlyList<AddedToken> specialTokens, string pattern = Cl100kPattern)
    {
        var ranks = ReadRanks(path);
        var byText = ranks.ToDictionary(r => ByteLevelAlphabet.EncodeBytes(r.Value), r => r.Key, StringComparer.Ordinal);
        var byId = ranks.ToDictionary(r => r.Key, r => ByteLevelAlphabet.EncodeBytes(r.Value));
        foreach (var special in specialTokens)
        {
            if (byId.ContainsKey(special.Id))
                throw new TokenizerFormatException(path, $"special token '{special.Content}' has id {special.Id}, which is already the rank of a BPE token");
        }

        var specialMap = specialTokens.ToDictionary(t => t.Content, t => t.Id);
        Regex regex;
        try
        {
            regex = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"The tiktoken word pattern /{pattern}/ is not a valid regular expression: {ex.Message}", nameof(pattern), ex);
        }

        TiktokenTokenizer inner;
        using (var stream = File.OpenRead(path))
        {
            inner = TiktokenTokenizer.Create(stream, new TiktokenPreTokenizer(regex, specialMap), normalizer: null, specialTokens: specialMap);
        }

        var specialById = specialTokens.ToDictionary(t => t.Id, t => t.Content);
        var maxId = Math.Max(ranks.Keys.DefaultIfEmpty(-1).Max(), specialById.Keys.DefaultIfEmpty(-1).Max());
        return new LibraryTokenizerAdapter(
            inner,
            maxId + 1,
            token => specialMap.TryGetValue(token, out var s) ? s : byText.TryGetValue(token, out var id) ? id : null,
            id => specialById.TryGetValue(id, out var s) ? s : byId.GetValueOrDefault(id),
            specialTokens.Where(t => t.Special).Select(t => t.Id));
    }

    /// <summary>Reads and validates every line, so a damaged file is reported with its line number.</summary>
    private static Dictionary<int, byte[]> ReadRanks(string path)
    {
        var ranks = new Dictionary<int, byte[]>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var match = LinePattern.Match(line);
            if (!match.Success || !int.TryParse(match.Groups[2].Value, out var rank))
                throw new TokenizerFormatException(path, $"line {lineNumber} is not \"<base64 token> <rank>\": '{Truncate(line)}'");
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(match.Groups[1].Value);
            }
            catch (FormatException)
            {
                throw new TokenizerFormatException(path, $"line {lineNumber}: '{match.Groups[1].Value}' is not valid base64");
            }
            if (!ranks.TryAdd(rank, bytes))
                throw new TokenizerFormatException(path, $"line {lineNumber}: rank {rank} appears twice");
        }
        if (ranks.Count == 0) throw new TokenizerFormatException(path, "the file has no tokens");
        return ranks;
    }

    private static string Truncate(string line) => line.Length <= 60 ? line : line[..60] + "…";
}
