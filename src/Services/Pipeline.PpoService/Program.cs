using Pipeline.Contracts;
using Pipeline.Orchestration.Hosting;
using Pipeline.Training.Stages;

// The policy optimizer: PPO, GRPO and DPO on one device, one job at a time per replica.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPipelineRuntime(runManager: false, StageNames.Ppo, StageNames.Grpo, StageNames.Dpo);
builder.Services.AddAlignmentStages();
var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
