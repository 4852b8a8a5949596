using Pipeline.Contracts;
using Pipeline.Orchestration.Hosting;

// Evaluation and the run report. Its worker is not in this build yet: commands are refused with a clear failure.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPipelineRuntime(runManager: false, StageNames.Evaluate);
var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
