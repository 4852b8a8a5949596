namespace Pipeline.Configuration.Validation;

/// <summary>
/// What a cross-key rule may ask about the record it checks (keys are relative to it and may be dotted,
/// e.g. <c>stages.sft</c> from the root) and how it reports a problem.
/// </summary>
public sealed class SettingsValidationContext
{
    private readonly BindingContext binding;

    internal SettingsValidationContext(BindingContext binding, string path)
    {
        this.binding = binding;
        Path = path;
    }

    /// <summary>The path of the record being checked ("" for the root).</summary>
    public string Path { get; }

    /// <summary>The full path of a key of this record.</summary>
    public string PathOf(string key) => key.Length == 0 ? Path : ConfigPath.Child(Path, key);

    /// <summary>True when the key was written in the file (as opposed to taking its default).</summary>
    public bool IsSet(string key) => binding.IsPresent(PathOf(key));

    /// <summary>
    /// True when none of these keys had an error while binding. A rule skips itself otherwise: its
    /// inputs hold defaults, not what the person wrote, and the real error is already reported.
    /// </summary>
    public bool IsValid(params string[] keys) => keys.All(key => !binding.HasErrorAtOrBelow(PathOf(key)));

    /// <summary>True when the key's value itself was bound (it may still hold errors deeper down).</summary>
    public bool IsBound(string key) => !binding.HasErrorAt(PathOf(key));

    /// <summary>
    /// True when neither the key nor any key directly under it had an error. Deeper errors (a bad
    /// learning rate inside a stage) do not change which stages exist, so rules about the shape of a
    /// section can still run.
    /// </summary>
    public bool IsWellFormed(string key) => !binding.HasErrorAtOrDirectlyBelow(PathOf(key));

    /// <summary>Reports a problem at the key (or, when it was not written, the nearest enclosing key).</summary>
    public void Error(string key, string message) => binding.Error(PathOf(key), message);
}
