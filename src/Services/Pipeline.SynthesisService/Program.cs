using Pipeline.Contracts;
using Pipeline.Orchestration.Hosting;
using Pipeline.Training.Stages;

// The synthetic-data service: synthesize (self-instruct: new rows from a generator, cleaned like organic ones) and
// feedback (replies sampled from the policy, ranked by a judge into preference pairs).
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPipelineRuntime(runManager: false, StageNames.Synthesize, StageNames.Feedback);
builder.Services.AddSynthesisStage();
builder.Services.AddFeedbackStage();
var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
