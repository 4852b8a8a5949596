namespace Pipeline.Tokenizers;

/// <summary>
/// The BPE merge loop with incremental pair counts: pair counts and the words containing each pair are kept
/// up to date as merges are applied, and a max-heap with lazy invalidation picks the next pair, so each merge
/// costs time proportional to the words it touches rather than to the corpus.
/// </summary>
internal sealed class BpeMergeLearner
{
    private readonly List<int[]> words;
    private readonly List<long> frequencies;
    private readonly Dictionary<long, long> pairCounts = new();
    private readonly Dictionary<long, HashSet<int>> pairWords = new();

    // Highest count first; ties go to the smaller (left, right) ids, which makes the result deterministic.
    private readonly PriorityQueue<long, (long NegativeCount, int Left, int Right)> queue = new();

    public BpeMergeLearner(List<int[]> words, List<long> frequencies)
    {
        this.words = words;
        this.frequencies = frequencies;
        for (var w = 0; w < words.Count; w++) AddPairs(w, +1);
        foreach (var (pair, count) in pairCounts) Enqueue(pair, count);
    }

    /// <summary>Learns up to <paramref name="maxMerges"/> merges, appending each new token's text to <paramref name="tokens"/>.</summary>
    public List<(string Left, string Right)> Learn(int maxMerges, int minFrequency, List<string> tokens)
    {
        var merges = new List<(string, string)>();
        while (merges.Count < maxMerges && this.queue.TryDequeue(out var pair, out var priority))
        {
            var current = pairCounts.GetValueOrDefault(pair);
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
        var affected = pairWords[pair].Order().ToArray();
        foreach (var w in affected)
        {
            var word = this.words[w];
            if (!Contains(word, left, right)) continue;
            AddPairs(w, -1);
            this.words[w] = Merge(word, left, right, newId);
            AddPairs(w, +1);
        }
        pairCounts.Remove(pair);
        pairWords.Remove(pair);

        // Pairs that contain the new token are new: queue them once with their full count.
        var queued = new HashSet<long>();
        foreach (var w in affected)
        {
            var word = this.words[w];
            for (var i = 0; i + 1 < word.Length; i++)
            {
                if (word[i] != newId && word[i + 1] != newId) continue;
                var newPair = Pack(word[i], word[i + 1]);
                if (queued.Add(newPair) && pairCounts.TryGetValue(newPair, out var count) && count > 0) Enqueue(newPair, count);
            }
        }
    }

    private void AddPairs(int w, int sign)
    {
        var word = this.words[w];
        var frequency = this.frequencies[w] * sign;
        for (var i = 0; i + 1 < word.Length; i++)
        {
            var pair = Pack(word[i], word[i + 1]);
            var count = pairCounts.GetValueOrDefault(pair) + frequency;
            if (count <= 0) pairCounts.Remove(pair);
            else pairCounts[pair] = count;
            if (sign > 0)
            {
                if (!pairWords.TryGetValue(pair, out var set)) pairWords[pair] = set = [];
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
        this.queue.Enqueue(pair, (-count, left, right));
    }

    private static long Pack(int left, int right) => BpeModel.PairKey(left, right);

    private static (int Left, int Right) Unpack(long pair) => ((int)(pair >> 32), (int)(uint)pair);
}
