namespace Pipeline.Configuration.Validation;

/// <summary>How many items a list may hold.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class CountAttribute(int minimum, int maximum = int.MaxValue) : Attribute
{
    public int Minimum { get; } = minimum;
    public int Maximum { get; } = maximum;
}
