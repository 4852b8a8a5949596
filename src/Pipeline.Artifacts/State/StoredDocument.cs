namespace Pipeline.Artifacts.State;

/// <summary>A document's JSON text and the ETag to pass back to <see cref="IDocumentStore.PutAsync"/>.</summary>
public sealed record StoredDocument(string Json, string ETag);
