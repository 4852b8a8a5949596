// The distributed pipeline on one machine, with the Aspire dashboard: `dotnet run --project AppHost`.
// RabbitMQ and Azurite run as containers where a container runtime answers, else as plain executables from what
// `infra/local/deps.sh install` put on this machine (Infrastructure.cs says how the mode is chosen). Every service
// reads the same two connection strings as in every other wiring: ConnectionStrings__messaging (an AMQP URI) and
// ConnectionStrings__artifacts (an Azure Storage connection string with ContainerName=artifacts).
using Pipeline.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

var infrastructure = Infrastructure.Choose(builder, ContainerRuntime.Probe);
var (broker, storage) = infrastructure.Mode == InfrastructureMode.Containers
    ? (builder.AddRabbitMQContainer(), builder.AddAzuriteContainer())
    : (builder.AddRabbitMQExecutable(infrastructure), builder.AddAzuriteExecutable(infrastructure));

var api = builder.AddPipelineService<Projects.Pipeline_Api>("api", broker, storage);
builder.AddPipelineService<Projects.Pipeline_IngestionService>("ingestion", broker, storage).WaitFor(api);
builder.AddPipelineService<Projects.Pipeline_SynthesisService>("synthesis", broker, storage).WaitFor(api);
builder.AddPipelineService<Projects.Pipeline_SftService>("sft", broker, storage).WaitFor(api);
builder.AddPipelineService<Projects.Pipeline_RewardModelService>("reward-model", broker, storage).WaitFor(api);
builder.AddPipelineService<Projects.Pipeline_PpoService>("ppo", broker, storage).WaitFor(api);
builder.AddPipelineService<Projects.Pipeline_EvaluationService>("evaluation", broker, storage).WaitFor(api);

builder.Build().Run();
