namespace Pipeline.Tokenizers;

/// <summary>
/// The BPE merge loop with incremental pair counts: pair counts and the words containing each pair are kept
/// up to date as merges are applied, and a max-heap with lazy invalidation picks the next pair, so each merge
/// costs time proportional to the words it touches rather than to the corpus.
/// </summary>
internal sealed class BpeMergeLearner
{
    private readonly List<int[]> _words;
    private readonly List<long> _frequencies;
    private readonly Dictionary<long, long> _pairCounts = new();
    private readonly Dictionary<long, HashSet<int>> _pairWords = new();

    // Highest count first; ties go to the smaller (left, right) ids, which makes the result deterministic.
    private readonly PriorityQueue<long, (long NegativeCount, int Left, int Right)> _queue = new();

    public BpeMergeLearner(List<int[]> words, List<long> frequencies)
    {
        _words = words;
        _frequencies = frequencies;
        for (var w = 0; w < words.Count; w++) AddPairs(w, +1);
        foreach (var (pair, count) in _pairCounts) Enqueue(pair, count);
    }

    /// <summary>Learns up to <paramref name="maxMerges"/> merges, appending each new token's text to <paramref name="tokens"/>.</summary>
    public List<(string Left, string Right)> Learn(int maxMerges, int minFrequency, List<string> tokens)
    {
        var merges = new List<(string, string)>();
        while (merges.Count < maxMerges && _queue.TryDequeue(out var pair, out var priority))
        {
            var current = _pairCounts.GetValueOrDefault(pair);
            if (current != -priority.NegativeCount)
            {
                // Stale entry: counts only fall for existing pairs, so re-queue with the current count.
                if (current > 0) Enqueue(pair, current);
                continue;
            }
            if (current < minFrequency) break;

            var (left, right) = Unpack(pair);
            var newId = tokens.Count;
            tokens.Add(tokens[left] + tokens[right]);
            merges.Add((tokens[left], tokens[right]));
            ApplyMerge(pair, left, right, newId);
        }
        return merges;
    }

    private void ApplyMerge(long pair, int left, int right, int newId)
    {
        var affected = _pairWords[pair].Order().ToArray();
        foreach (var w in affected)
        {
            var word = _words[w];
            if (!Contains(word, left, right)) continue;
            AddPairs(w, -1);
            _words[w] = Merge(word, left, right, newId);
            AddPairs(w, +1);
        }
        _pairCounts.Remove(pair);
        _pairWords.Remove(pair);

        // Pairs that contain the new token are new: queue them once with their full count.
        var queued = new HashSet<long>();
        foreach (var w in affected)
        {
            var word = _words[w];
            for (var i = 0; i + 1 < word.Length; i++)
            {
                if (word[i] != newId && word[i + 1] != newId) continue;
                var newPair = Pack(word[i], word[i + 1]);
                if (queued.Add(newPair) && _pairCounts.TryGetValue(newPair, out var count) && count > 0) Enqueue(newPair, count);
            }
        }
    }

    private void AddPairs(int w, int sign)
    {
        var word = _words[w];
        var frequency = _frequencies[w] * sign;
        for (var i = 0; i + 1 < word.Length; i++)
        {
            var pair = Pack(word[i], word[i + 1]);
            var count = _pairCounts.GetValueOrDefault(pair) + frequency;
            if (count <= 0) _pairCounts.Remove(pair);
            else _pairCounts[pair] = count;
            if (sign > 0)
            {
                if (!_pairWords.TryGetValue(pair, out var set)) _pairWords[pair] = set = [];
                set.Add(w);
            }
        }
    }

    private static bool Contains(int[] word, int left, int right)
    {
        for (var i = 0; i + 1 < word.Length; i++)
        {
            if (word[i] == left && word[i + 1] == right) return true;
        }
        return false;
    }

    private static int[] Merge(int[] word, int left, int right, int newId)
    {
        var result = new List<int>(word.Length);
        for (var i = 0; i < word.Length; i++)
        {
            if (i + 1 < word.Length && word[i] == left && word[i + 1] == right)
            {
                result.Add(newId);
                i++;
            }
            else
            {
                result.Add(word[i]);
            }
        }
        return result.ToArray();
    }

    private void Enqueue(long pair, long count)
    {
        var (left, right) = Unpack(pair);
        _queue.Enqueue(pair, (-count, left, right));
    }

    private static long Pack(int left, int right) => BpeModel.PairKey(left, right);

    private static (int Left, int Right) Unpack(long pair) => ((int)(pair >> 32), (int)(uint)pair);
}
