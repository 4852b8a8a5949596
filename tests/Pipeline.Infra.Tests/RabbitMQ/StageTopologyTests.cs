using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Contracts;
using Pipeline.Infra.Tests.Kubernetes;
using Pipeline.Infra.Tests.Support;
using Pipeline.Ingestion;
using Pipeline.Orchestration.Messaging;

namespace Pipeline.Infra.Tests.RabbitMQ;

/// <summary>
/// Scaling from zero needs the stage queues to exist before any worker ever ran: the run manager publishes a command to
/// its message type's exchange, and without the worker's queue bound to it the command is lost (and KEDA has no queue to
/// count). The Job rabbitmq-topology imports infra/k8s/base/autoscaling/stage-topology.json into the broker; these tests
/// check on a real RabbitMQ that the file is exactly what MassTransit declares for every stage consumer, and that a
/// command published with no worker running waits in its queue.
/// </summary>
public sealed class StageTopologyTests
{
    public const string TopologyFile = "infra/k8s/base/autoscaling/stage-topology.json";

    /// <summary>A bus with every stage's consumer and the shard consumer, as the worker services together declare them.</summary>
    private static async Task<IBusControl> StartWorkersBusAsync(string amqp, bool consumers = true)
    {
        var services = new ServiceCollection();
        services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddPipelineBus(amqp, runManager: false, consumers ? StageNames.InOrder : []);
        if (consumers) services.AddIngestionStage();
        var bus = services.BuildServiceProvider().GetRequiredService<IBusControl>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await bus.StartAsync(timeout.Token);
        return bus;
    }

    /// <summary>The durable part of a vhost's definitions that leads to the KEDA-watched queues, sorted, without vhost names.</summary>
    public static JsonObject StageTopology(JsonObject definitions, IReadOnlySet<string> queues)
    {
        var bindings = (definitions["bindings"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var feeding = new HashSet<string>(queues); // queues, and exchanges whose messages reach one of them
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var b in bindings)
                if (feeding.Contains((string)b["destination"]!) && feeding.Add((string)b["source"]!)) grew = true;
        }
        static JsonObject Strip(JsonObject o, params string[] drop)
        {
            var copy = (JsonObject)o.DeepClone();
            foreach (var key in drop) copy.Remove(key);
            return copy;
        }
        var result = new JsonObject
        {
            ["queues"] = new JsonArray((definitions["queues"] as JsonArray ?? []).OfType<JsonObject>()
                .Where(q => queues.Contains((string)q["name"]!)).OrderBy(q => (string)q["name"]!).Select(q => (JsonNode)Strip(q, "vhost")).ToArray()),
            ["exchanges"] = new JsonArray((definitions["exchanges"] as JsonArray ?? []).OfType<JsonObject>()
                .Where(e => feeding.Contains((string)e["name"]!)).OrderBy(e => (string)e["name"]!).Select(e => (JsonNode)Strip(e, "vhost")).ToArray()),
            ["bindings"] = new JsonArray(bindings
                .Where(b => feeding.Contains((string)b["source"]!) && feeding.Contains((string)b["destination"]!))
                .OrderBy(b => (string)b["source"]!).ThenBy(b => (string)b["destination"]!).Select(b => (JsonNode)Strip(b, "vhost")).ToArray()),
        };
        return result;
    }

    private static IReadOnlySet<string> WatchedQueues => ServiceQueues.All.Values.SelectMany(q => q).ToHashSet();

    [Fact]
    public async Task The_committed_topology_is_exactly_what_MassTransit_declares_for_the_stage_queues()
    {
        await using var rabbit = new ManagementApi();
        var (vhost, amqp) = await rabbit.CreateVhostAsync("topology");
        var bus = await StartWorkersBusAsync(amqp);
        JsonObject declared;
        try { declared = StageTopology(await rabbit.DefinitionsAsync(vhost), WatchedQueues); }
        finally { await bus.StopAsync(); }

        var options = new JsonSerializerOptions { WriteIndented = true };
        var expected = declared.ToJsonString(options);
        var committed = JsonNode.Parse(Repository.ReadText(TopologyFile))!.ToJsonString(options);
        Assert.True(expected == committed,
            $"{TopologyFile} differs from what MassTransit declares for the stage queues. Replace its content with:\n{expected}");
        var queueNames = ((JsonArray)declared["queues"]!).Select(q => (string)q!["name"]!).ToHashSet();
        ManifestAssert.SameNames(WatchedQueues, queueNames, "queues MassTransit declares vs queues the ScaledObjects watch");
    }

    [Fact]
    public async Task With_the_topology_imported_a_command_published_before_any_worker_ran_waits_in_its_queue()
    {
        await using var rabbit = new ManagementApi();
        var (vhost, amqp) = await rabbit.CreateVhostAsync("from-zero");
        await rabbit.ImportAsync(vhost, Repository.ReadText(TopologyFile));

        var publisher = await StartWorkersBusAsync(amqp, consumers: false);
        try
        {
            await publisher.Publish(new RunSft { RunId = NewId.NextGuid(), SettingsJson = "{}", Inputs = new Dictionary<string, ArtifactRef>(), Slice = 0 });
            await publisher.Publish(new RunGrpo { RunId = NewId.NextGuid(), SettingsJson = "{}", Inputs = new Dictionary<string, ArtifactRef>(), Slice = 0 });
        }
        finally { await publisher.StopAsync(); }
        Assert.Equal(1, await rabbit.MessagesAsync(vhost, "stage-sft"));
        Assert.Equal(1, await rabbit.MessagesAsync(vhost, "stage-grpo"));

        // The workers then start on the imported topology without a conflicting declaration.
        await rabbit.PurgeAsync(vhost, "stage-sft");
        await rabbit.PurgeAsync(vhost, "stage-grpo");
        var workers = await StartWorkersBusAsync(amqp);
        await workers.StopAsync();
    }
}
