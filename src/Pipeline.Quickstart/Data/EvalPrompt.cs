namespace Pipeline.Quickstart.Data;

/// <summary>A held-out customer message for evaluation, with its intent and the reference house-style reply.</summary>
public sealed record EvalPrompt(string Id, SupportIntent Intent, string SystemPrompt, string Message, string Reference);
