using Pipeline.Modeling;

namespace Pipeline.Training.Sft;

/// <summary>
/// Packs tokenized conversations into rows of at most max_seq_length tokens with best-fit decreasing (TRL's
/// "bfd" strategy): longest first, each into the fullest row it still fits, a new row when none has room.
/// Conversations are never split, so none loses its end; the result depends only on the input, so a resumed
/// run packs the same rows.
/// </summary>
public static class SftPacker
{
    public static IReadOnlyList<SftSequence> Pack(IReadOnlyList<SftSequence> sequences, int maxSeqLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSeqLength, 1);
        var rows = new List<List<SftSequence>>();
        var free = new List<int>();
        // (room left, row) of every row with room: the best fit is the smallest room ≥ the length, ties go to
        // the oldest row, so the packing is deterministic.
        var byRoom = new SortedSet<(int Room, int Row)>();
        var order = sequences.Select((s, i) => (Sequence: s, Index: i))
            .OrderByDescending(e => e.Sequence.InputIds.Count).ThenBy(e => e.Index);
        foreach (var (sequence, _) in order)
        {
            var length = sequence.InputIds.Count;
            if (length > maxSeqLength)
                throw new ArgumentException($"A sequence of {length} tokens cannot be packed into rows of {maxSeqLength}; the encoder truncates to max_seq_length first.");
            var row = BestFit(byRoom, length);
            if (row < 0)
            {
                row = rows.Count;
                rows.Add([]);
                free.Add(maxSeqLength);
            }
            else byRoom.Remove((free[row], row));
            rows[row].Add(sequence);
            free[row] -= length;
            if (free[row] > 0) byRoom.Add((free[row], row));
        }
        return [.. rows.Select(Concatenate)];
    }

    /// <summary>The row with the least room that still holds <paramref name="length"/> tokens, or -1.</summary>
    private static int BestFit(SortedSet<(int Room, int Row)> byRoom, int length)
    {
        if (byRoom.Count == 0 || byRoom.Max.Room < length) return -1;
        return byRoom.GetViewBetween((length, -1), byRoom.Max).Min.Row;
    }

    /// <summary>
    /// One row of the given conversations. Each conversation's first label is -100: the token before it belongs
    /// to the previous conversation, which must not be trained to predict the next one's start.
    /// </summary>
    private static SftSequence Concatenate(List<SftSequence> members)
    {
        if (members.Count == 1) return members[0];
        var ids = new List<int>();
        var labels = new List<long>();
        foreach (var member in members)
        {
            ids.AddRange(member.InputIds);
            labels.Add(CausalLmLoss.IgnoreIndex);
            labels.AddRange(member.Labels.Skip(1));
        }
        return new SftSequence(ids, labels, [.. members.Select(m => m.InputIds.Count)]);
    }
}
