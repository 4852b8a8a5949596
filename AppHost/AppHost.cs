// The distributed pipeline on a laptop: `dotnet run --project AppHost`.
// Resource names are the connection-string names the services read: ConnectionStrings__messaging and
// ConnectionStrings__artifacts (the artifacts container; run state goes to a sibling container).
var builder = DistributedApplication.CreateBuilder(args);

var messaging = builder.AddRabbitMQ("messaging").WithManagementPlugin();
var artifacts = builder.AddAzureStorage("storage").RunAsEmulator()
    .AddBlobs("blobs")
    .AddBlobContainer("artifacts");

var api = builder.AddProject<Projects.Pipeline_Api>("api")
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(artifacts).WaitFor(artifacts)
    .WithExternalHttpEndpoints();

IResourceBuilder<ProjectResource> Stage<TProject>(string name) where TProject : IProjectMetadata, new() =>
    builder.AddProject<TProject>(name)
        .WithReference(messaging).WaitFor(messaging)
        .WithReference(artifacts).WaitFor(artifacts)
        .WaitFor(api);

Stage<Projects.Pipeline_IngestionService>("ingestion");
Stage<Projects.Pipeline_SynthesisService>("synthesis");
Stage<Projects.Pipeline_SftService>("sft");
Stage<Projects.Pipeline_RewardModelService>("reward-model");
Stage<Projects.Pipeline_PpoService>("ppo");
Stage<Projects.Pipeline_EvaluationService>("evaluation");

builder.Build().Run();
