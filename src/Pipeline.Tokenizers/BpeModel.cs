using System.Collections.Concurrent;

namespace Pipeline.Tokenizers;

/// <summary>A token of one pre-tokenized word: its id and the characters of the word it covers.</summary>
internal readonly record struct WordToken(int Id, int Start, int Length);

/// <summary>
/// The BPE model of a Hugging Face tokenizer: a vocabulary and ranked merges. A word (already in the
/// byte-level alphabet) starts as one symbol per character; the adjacent pair with the lowest merge rank is
/// merged everywhere, left to right, until no ranked pair remains (GPT-2's <c>bpe()</c>, which gives the same
/// result as the priority queue in Hugging Face tokenizers).
/// </summary>
internal sealed class BpeModel
{
    private const int CacheLimit = 100_000;

    private readonly Dictionary<string, int> vocab;
    private readonly string?[] idToToken;
    private readonly Dictionary<long, (int Rank, int MergedId)> merges;
    private readonly Dictionary<char, int> charIds = new();
    private readonly ConcurrentDictionary<string, WordToken[]> cache = new(StringComparer.Ordinal);

    private BpeModel(Dictionary<string, int> vocab, Dictionary<long, (int, int)> merges, bool ignoreMerges, int? unkId)
    {
        this.vocab = vocab;
        this.merges = merges;
        IgnoreMerges = ignoreMerges;
        UnknownId = unkId;
        var maxId = vocab.Count == 0 ? -1 : vocab.Values.Max();
        idToToken = new string?[maxId + 1];
        foreach (var (token, id) in vocab)
        {
            idToToken[id] = token;
            if (token.Length == 1) charIds[token[0]] = id;
        }
    }

    /// <summary>Validates and builds the model; problems are reported against <paramref name="sourceFile"/>.</summary>
    public static BpeModel Create(
        Dictionary<string, int> vocab,
        IReadOnlyList<(string Left, string Right)> merges,
        bool ignoreMerges,
        string? unkToken,
        string sourceFile)
    {
        foreach (var (token, id) in vocab)
        {
            if (id < 0) throw new TokenizerFormatException(sourceFile, $"vocabulary token '{token}' has negative id {id}");
        }
        var ranks = new Dictionary<long, (int, int)>(merges.Count);
        for (var rank = 0; rank < merges.Count; rank++)
        {
            var (left, right) = merges[rank];
            if (!vocab.TryGetValue(left, out var leftId))
                throw new TokenizerFormatException(sourceFile, $"merge #{rank} ('{left}' '{right}') refers to '{left}', which is not in the vocabulary");
            if (!vocab.TryGetValue(right, out var rightId))
                throw new TokenizerFormatException(sourceFile, $"merge #{rank} ('{left}' '{right}') refers to '{right}', which is not in the vocabulary");
            if (!vocab.TryGetValue(left + right, out var mergedId))
                throw new TokenizerFormatException(sourceFile, $"merge #{rank} ('{left}' '{right}') produces '{left + right}', which is not in the vocabulary");
            ranks.TryAdd(PairKey(leftId, rightId), (rank, mergedId));
        }
        int? unkId = null;
        if (unkToken is not null)
        {
            if (!vocab.TryGetValue(unkToken, out var id))
                throw new TokenizerFormatException(sourceFile, $"unk_token '{unkToken}' is not in the vocabulary");
            unkId = id;
        }
        return new BpeModel(vocab, ranks, ignoreMerges, unkId);
    }

    /// <summary>Llama 3's <c>ignore_merges</c>: a word that is itself in the vocabulary is one token.</summary>
    public bool IgnoreMerges { get; }

    public int? UnknownId { get; }

    public int MaxId => idToToken.Length - 1;

    public int? TokenToId(string token) => this.vocab.TryGetValue(token, out var id) ? id : null;

    public string? IdToToken(int id) => id >= 0 && id < idToToken.Length ? idToToken[id] : null;

    /// <summary>
    /// Encodes one word. Characters missing from the vocabulary become the unk token when there is one and are
    /// dropped otherwise, as in Hugging Face (byte-level vocabularies contain all 256 byte characters, so this
    /// only happens with hand-made vocabularies).
    /// </summary>
    public WordToken[] EncodeWord(string word)
    {
        if (cache.TryGetValue(word, out var cached)) return cached;
        var result = Merge(word);
        if (cache.Count >= CacheLimit) cache.Clear();
        cache.TryAdd(word, result);
        return result;
    }

    private WordToken[] Merge(string word)
    {
        if (IgnoreMerges && this.vocab.TryGetValue(word, out var whole)) return [new WordToken(whole, 0, word.Length)];

        var symbols = new List<WordToken>(word.Length);
        for (var i = 0; i < word.Length; i++)
        {
            if (charIds.TryGetValue(word[i], out var id)) symbols.Add(new WordToken(id, i, 1));
            else if (UnknownId is { } unk) symbols.Add(new WordToken(unk, i, 1));
        }

        while (symbols.Count > 1)
        {
            var bestRank = int.MaxValue;
            var bestMerged = -1;
            int bestLeft = -1, bestRight = -1;
            for (var i = 0; i + 1 < symbols.Count; i++)
            {
                if (this.merges.TryGetValue(PairKey(symbols[i].Id, symbols[i + 1].Id), out var merge) && merge.Rank < bestRank)
                {
                    (bestRank, bestMerged) = merge;
                    (bestLeft, bestRight) = (symbols[i].Id, symbols[i + 1].Id);
                }
            }
            if (bestMerged < 0) break;

            var merged = new List<WordToken>(symbols.Count);
            for (var i = 0; i < symbols.Count; i++)
            {
                if (i + 1 < symbols.Count && symbols[i].Id == bestLeft && symbols[i + 1].Id == bestRight)
                {
                    merged.Add(new WordToken(bestMerged, symbols[i].Start, symbols[i].Length + symbols[i + 1].Length));
                    i++;
                }
                else
                {
                    merged.Add(symbols[i]);
                }
            }
            symbols = merged;
        }
        return symbols.ToArray();
    }

    internal static long PairKey(int left, int right) => ((long)left << 32) | (uint)right;
}
