using Pipeline.Contracts;
using Pipeline.Orchestration.Hosting;

// The synthesis stage (self-instruct, sampling, AI feedback). Its worker is not in this build yet: commands are refused with a clear failure.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPipelineRuntime(runManager: false, StageNames.Synthesize);
var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
