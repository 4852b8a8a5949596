using Pipeline.Contracts;
using Pipeline.Orchestration.Hosting;
using Pipeline.Training.Stages;

// Evaluation and the run report: candidates (the run's models and the prompt-only baselines) answer held-out prompts,
// judges score them, one candidate per slice; the report is the stage's output artifact.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPipelineRuntime(runManager: false, StageNames.Evaluate);
builder.Services.AddEvaluationStage();
var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
