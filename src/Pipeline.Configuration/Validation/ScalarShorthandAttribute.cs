namespace Pipeline.Configuration.Validation;

/// <summary>
/// A list that may also be written as one of these words instead of a list, as PEFT allows
/// <c>target_modules: all-linear</c>. The word binds as a one-item list.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ScalarShorthandAttribute(params string[] words) : Attribute
{
    public IReadOnlyList<string> Words { get; } = words;
}
