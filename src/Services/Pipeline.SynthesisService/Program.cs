using Pipeline.Contracts;
using Pipeline.Orchestration.Hosting;
using Pipeline.Training.Stages;

// The synthetic-data service: feedback (replies sampled from the policy, ranked by a judge into preference pairs).
// Self-instruct (synthesize) is not in this build yet: its commands are refused with a clear failure.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPipelineRuntime(runManager: false, StageNames.Synthesize, StageNames.Feedback);
builder.Services.AddFeedbackStage();
var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
