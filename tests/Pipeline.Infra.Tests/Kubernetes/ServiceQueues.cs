using System.Reflection;
using System.Text.RegularExpressions;
using Pipeline.Contracts;
using Pipeline.Infra.Tests.Support;
using Pipeline.Ingestion.ShardCoordination;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Infra.Tests.Kubernetes;

/// <summary>
/// The RabbitMQ queues each service consumes, from the code: the stages its Program.cs hands to AddPipelineRuntime
/// (one MassTransit endpoint per stage, named by StageConsumerDefinition.QueueName) and the shard queue where it calls
/// AddIngestionStage. Service names map to projects as infra/local/services.sh maps them.
/// </summary>
public static partial class ServiceQueues
{
    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlySet<string>>> ByService = new(Read);

    /// <summary>Service name (sft) → the queues it consumes (stage-sft, stage-pretrain).</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> All => ByService.Value;

    public static string QueueOf(string stage) => StageConsumerDefinition<RunSft>.QueueName(stage);

    private static IReadOnlyDictionary<string, IReadOnlySet<string>> Read()
    {
        var stageNames = typeof(StageNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);
        var projects = ProjectOf().Matches(Repository.ReadText(PipelineServices.ServicesScript))
            .ToDictionary(m => m.Groups["service"].Value, m => m.Groups["project"].Value);
        var result = new Dictionary<string, IReadOnlySet<string>>();
        foreach (var service in PipelineServices.All)
        {
            if (!projects.TryGetValue(service, out var project))
                throw new InvalidDataException($"{PipelineServices.ServicesScript}: project_of has no project for '{service}'.");
            var programPath = $"src/Services/{project}/Program.cs";
            var program = Repository.ReadText(programPath);
            var runtime = Runtime().Match(program);
            if (!runtime.Success) throw new InvalidDataException($"{programPath}: no builder.AddPipelineRuntime(runManager: ..., StageNames.X, ...) call.");
            var queues = new HashSet<string>();
            foreach (Capture stage in runtime.Groups["stage"].Captures)
                queues.Add(stageNames.TryGetValue(stage.Value, out var name)
                    ? QueueOf(name)
                    : throw new InvalidDataException($"{programPath}: StageNames.{stage.Value} is not a stage name."));
            if (program.Contains(".AddIngestionStage(", StringComparison.Ordinal)) queues.Add(CleanIngestShardConsumerDefinition.QueueName);
            result[service] = queues;
        }
        return result;
    }

    [GeneratedRegex(@"(?<service>[a-z-]+)\) echo (?<project>Pipeline\.\w+)")]
    private static partial Regex ProjectOf();

    [GeneratedRegex(@"AddPipelineRuntime\(\s*runManager:\s*(?:true|false)(?:\s*,\s*StageNames\.(?<stage>\w+))*\s*\)")]
    private static partial Regex Runtime();
}
