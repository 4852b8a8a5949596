using Pipeline.Contracts;
using Pipeline.Orchestration.Hosting;
using Pipeline.Ingestion;
// The ingestion stage: reads, normalizes, de-duplicates, scrubs and splits raw instruction data.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPipelineRuntime(runManager: false, StageNames.Ingest);
builder.Services.AddIngestionStage();
var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
