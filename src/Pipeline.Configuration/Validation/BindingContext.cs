namespace Pipeline.Configuration.Validation;

/// <summary>
/// What one binding pass learns besides the values: every error, where each key was written (so rules
/// that run after binding can still point at a line), and which paths failed (so those rules stay
/// quiet about values that were already reported).
/// </summary>
internal sealed class BindingContext
{
    private readonly List<ConfigError> errors = [];
    private readonly Dictionary<string, SourcePosition> positions = new(StringComparer.Ordinal);
    private readonly HashSet<string> failedPaths = new(StringComparer.Ordinal);

    /// <summary>Errors sorted by position, so the report reads top to bottom like the file.</summary>
    public IReadOnlyList<ConfigError> Errors =>
        errors.Select((e, i) => (e, i)).OrderBy(x => x.e.Line).ThenBy(x => x.e.Column).ThenBy(x => x.i).Select(x => x.e).ToArray();

    public bool HasErrors => errors.Count > 0;

    /// <summary>Notes that <paramref name="path"/> was written in the file, at <paramref name="at"/>.</summary>
    public void Record(string path, SourcePosition at) => positions.TryAdd(path, at);

    public bool IsPresent(string path) => positions.ContainsKey(path);

    public void Error(string path, SourcePosition at, string message)
    {
        errors.Add(new ConfigError(path, at.Line, at.Column, message));
        failedPaths.Add(path);
    }

    /// <summary>Reports at the key's own position, or at the nearest enclosing key that was written.</summary>
    public void Error(string path, string message) => Error(path, PositionOf(path), message);

    public bool HasErrorAtOrBelow(string path) =>
        path.Length == 0
            ? failedPaths.Count > 0
            : failedPaths.Any(p => p == path || p.StartsWith(path + ".", StringComparison.Ordinal) || p.StartsWith(path + "[", StringComparison.Ordinal));

    /// <summary>True when the value at the path itself failed to bind (errors inside it do not count).</summary>
    public bool HasErrorAt(string path) => failedPaths.Contains(path);

    /// <summary>True when the path itself, or a key directly under it, failed (unknown key, wrong shape).</summary>
    public bool HasErrorAtOrDirectlyBelow(string path) =>
        failedPaths.Any(p => p == path || ConfigPath.Parent(p) == path);

    public SourcePosition PositionOf(string path)
    {
        for (var current = path; ; current = ConfigPath.Parent(current))
        {
            if (positions.TryGetValue(current, out var at)) return at;
            if (current.Length == 0) return SourcePosition.Start;
        }
    }
}
