namespace Pipeline.Quickstart.Labeling;

/// <summary>One rule's verdict on a reply: passed or not, what it weighs, and why, in words.</summary>
public sealed record RuleResult(HouseRule Rule, bool Passed, double Weight, string Detail);
