namespace Pipeline.Cleaning.Pii;

/// <summary>Finds one kind of PII in a text. Implementations are stateless and thread-safe.</summary>
public interface IPiiDetector
{
    PiiType Type { get; }

    IEnumerable<PiiSpan> Detect(string text);
}
