namespace Pipeline.Artifacts.State;

/// <summary>A conditional write lost: the document changed (or appeared, or vanished) since it was read.</summary>
public sealed class ConcurrencyConflictException(string key, string? expectedETag, string what)
    : Exception($"Document '{key}' was not written: {what} " +
                (expectedETag is null ? "(the write asked to create it only if absent)." : $"(the write expected ETag {expectedETag}).") +
                " Another writer got there first; read it again, re-apply the change and retry.")
{
    public string Key { get; } = key;
    public string? ExpectedETag { get; } = expectedETag;
}
