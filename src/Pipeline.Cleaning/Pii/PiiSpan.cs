namespace Pipeline.Cleaning.Pii;

/// <summary>Where a detector found PII in a text. Positions only: a span never carries the value.</summary>
public readonly record struct PiiSpan(int Start, int Length, PiiType Type)
{
    public int End => Start + Length;

    public bool Overlaps(PiiSpan other) => Start < other.End && other.Start < End;
}
