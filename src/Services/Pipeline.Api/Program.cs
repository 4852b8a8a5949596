using System.Text.Json.Serialization;
using Pipeline.Api;
using Pipeline.Orchestration.Hosting;

// The API: submit, list, inspect and cancel runs; upload inputs; browse artifacts. It also hosts the run
// manager (the PipelineRun process manager), whose state lives in the document store, not in this process.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPipelineRuntime(runManager: true);
builder.Services.AddOpenApi();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
var app = builder.Build();
app.MapDefaultEndpoints();
app.MapOpenApi();
app.MapRunEndpoints();
app.MapArtifactEndpoints();
app.Run();
