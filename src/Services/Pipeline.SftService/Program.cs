using Pipeline.Contracts;
using Pipeline.Orchestration.Hosting;
using Pipeline.Training.Stages;

// The SFT trainer: supervised fine-tuning (full, LoRA, QLoRA, freeze, BitFit, prompt tuning) and, on the same
// device, stage 0 (pretraining a small base model). One job at a time per replica.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPipelineRuntime(runManager: false, StageNames.Sft, StageNames.Pretrain);
builder.Services.AddSftStages();
var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
