using Pipeline.Contracts;
using Pipeline.Orchestration.Hosting;
using Pipeline.Training.Stages;

// The reward-model trainer: a scalar head trained on chosen/rejected pairs. One job at a time per replica.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPipelineRuntime(runManager: false, StageNames.RewardModel);
builder.Services.AddRewardModelStage();
var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
