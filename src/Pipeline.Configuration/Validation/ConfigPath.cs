namespace Pipeline.Configuration.Validation;

/// <summary>Dotted key paths: <c>stages.ingest.inputs[0].path</c>.</summary>
public static class ConfigPath
{
    public static string Child(string parent, string key) => parent.Length == 0 ? key : $"{parent}.{key}";

    public static string Item(string parent, int index) => $"{parent}[{index}]";

    /// <summary>The enclosing path: <c>a.b[2]</c> → <c>a.b</c> → <c>a</c> → "".</summary>
    public static string Parent(string path)
    {
        if (path.EndsWith(']'))
        {
            var bracket = path.LastIndexOf('[');
            if (bracket >= 0) return path[..bracket];
        }
        var dot = path.LastIndexOf('.');
        return dot < 0 ? "" : path[..dot];
    }
}
