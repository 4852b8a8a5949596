namespace Pipeline.Configuration.Validation;

/// <summary>A list where an item written twice is a mistake (PII types, models to compare).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DistinctItemsAttribute : Attribute;
