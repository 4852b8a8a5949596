using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Pipeline.AppHost;

/// <summary>RabbitMQ run from Debian's package: AMQP on 127.0.0.1, its connection string the services' "messaging".</summary>
public sealed class RabbitMQExecutableResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public EndpointReference Amqp => new(this, "amqp");

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"amqp://guest:guest@127.0.0.1:{Amqp.Property(EndpointProperty.Port)}/");
}

/// <summary>Azurite's blob service (executable or container); its connection string names the artifacts container.</summary>
public interface IAzuriteResource : IResourceWithConnectionString, IResourceWithEndpoints
{
    EndpointReference Blob { get; }
}

public sealed class AzuriteExecutableResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IAzuriteResource
{
    public EndpointReference Blob => new(this, "blob");
    public ReferenceExpression ConnectionStringExpression => Azurite.ConnectionString(Blob);
}

public sealed class AzuriteContainerResource(string name) : ContainerResource(name), IAzuriteResource
{
    public EndpointReference Blob => new(this, "blob");
    public ReferenceExpression ConnectionStringExpression => Azurite.ConnectionString(Blob);
}

public static class Azurite
{
    /// <summary>Azurite's well-known development account (the same in every Azurite; not a secret).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public static ReferenceExpression ConnectionString(EndpointReference blob) => ReferenceExpression.Create(
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};BlobEndpoint=http://127.0.0.1:{blob.Property(EndpointProperty.Port)}/devstoreaccount1;ContainerName=artifacts");
}

/// <summary>How the AppHost declares the broker, the storage emulator and the services.</summary>
public static class PipelineResources
{
    public const string Broker = "rabbitmq";
    public const string Storage = "azurite";

    /// <summary>
    /// RabbitMQ with its management UI, as an executable. Erlang's port mapper runs as its own resource on 127.0.0.1
    /// (else the broker starts one that outlives the AppHost and listens on every interface); the distribution port
    /// listens on 127.0.0.1 only; the start script execs the VM, so stopping the resource stops the broker.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddRabbitMQExecutable(this IDistributedApplicationBuilder builder, InfrastructureChoice infra)
    {
        var state = FreshStateDirectory(infra.RabbitMQStateDirectory);
        File.WriteAllText(Path.Combine(state, "enabled_plugins"), "[rabbitmq_management].");
        File.WriteAllText(Path.Combine(state, "rabbitmq.conf"), "loopback_users.guest = true\n");

        // Not proxied, on a port chosen here: the broker must be told the port, and a proxied endpoint's target
        // port is only known to the orchestrator.
        var epmdPort = FreeLoopbackPort();
        var epmd = builder.AddExecutable("epmd", InfrastructureChoice.Epmd, state, "-address", "127.0.0.1", "-port", epmdPort.ToString())
            .WithEndpoint(name: "epmd", scheme: "tcp", port: epmdPort, targetPort: epmdPort, isProxied: false, isExternal: false)
            .WithEndpoint("epmd", e => e.TargetHost = "127.0.0.1");

        var rabbit = builder.AddResource(new RabbitMQExecutableResource(Broker, InfrastructureChoice.RabbitMQServer, state))
            .WithEndpoint(name: "amqp", scheme: "tcp", env: "RABBITMQ_NODE_PORT")
            .WithEndpoint(name: "dist", scheme: "tcp", env: "RABBITMQ_DIST_PORT")
            .WithHttpEndpoint(name: "management")
            .WithEndpoint("amqp", e => e.TargetHost = "127.0.0.1")
            .WithEndpoint("dist", e => e.TargetHost = "127.0.0.1")
            .WithEndpoint("management", e => e.TargetHost = "127.0.0.1")
            .WithEnvironment(context =>
            {
                var management = ((RabbitMQExecutableResource)context.Resource).GetEndpoint("management").Property(EndpointProperty.TargetPort);
                context.EnvironmentVariables["HOME"] = state;
                context.EnvironmentVariables["RABBITMQ_NODENAME"] = $"pipeline-aspire-{Environment.ProcessId}@localhost";
                context.EnvironmentVariables["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
                context.EnvironmentVariables["RABBITMQ_MNESIA_BASE"] = Path.Combine(state, "mnesia");
                context.EnvironmentVariables["RABBITMQ_LOG_BASE"] = Path.Combine(state, "log");
                context.EnvironmentVariables["RABBITMQ_LOGS"] = "-"; // to stdout: the dashboard's console log
                context.EnvironmentVariables["RABBITMQ_CONFIG_FILE"] = Path.Combine(state, "rabbitmq");
                context.EnvironmentVariables["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(state, "enabled_plugins");
                context.EnvironmentVariables["RABBITMQ_PID_FILE"] = Path.Combine(state, "rabbitmq.pid");
                context.EnvironmentVariables["ERL_EPMD_ADDRESS"] = "127.0.0.1";
                context.EnvironmentVariables["ERL_EPMD_PORT"] = epmdPort.ToString();
                // The script then execs the Erlang VM instead of supervising it from a shell: the VM is the process
                // Aspire stops. -noinput keeps the shell off all the same.
                context.EnvironmentVariables["RABBITMQ_ALLOW_INPUT"] = "true";
                context.EnvironmentVariables["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = ReferenceExpression.Create(
                    $"-noinput -start_epmd false -kernel inet_dist_use_interface {{127,0,0,1}} -rabbitmq_management tcp_config [{{ip,\"127.0.0.1\"}},{{port,{management}}}]");
            })
            .WaitFor(epmd)
            .WithAmqpHealthCheck(r => r.Amqp);
        return rabbit;
    }

    /// <summary>Azurite's blob service from npm (infra/local/deps.sh install), in memory, on 127.0.0.1.</summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddAzuriteExecutable(this IDistributedApplicationBuilder builder, InfrastructureChoice infra) =>
        builder.AddResource(new AzuriteExecutableResource(Storage, infra.AzuriteBlob, infra.AzuriteDirectory))
            .WithHttpEndpoint(name: "blob")
            .WithEndpoint("blob", e => e.TargetHost = "127.0.0.1")
            .WithArgs(context =>
            {
                var blob = ((AzuriteExecutableResource)context.Resource).Blob;
                context.Args.Add("--blobHost");
                context.Args.Add("127.0.0.1");
                context.Args.Add("--blobPort");
                context.Args.Add(blob.Property(EndpointProperty.TargetPort));
                // --skipApiVersionCheck: Azure.Storage.Blobs 12.30 sends an API version newer than Azurite 3.35 knows.
                foreach (var a in new[] { "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--loose" }) context.Args.Add(a);
            })
            .WithAzuriteHealthCheck();

    /// <summary>RabbitMQ's image with the management plugin (Aspire.Hosting.RabbitMQ).</summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddRabbitMQContainer(this IDistributedApplicationBuilder builder) =>
        builder.AddRabbitMQ(Broker).WithManagementPlugin();

    /// <summary>Azurite's image, blob service only, in memory (Aspire.Hosting.Azure.Storage is not available here).</summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddAzuriteContainer(this IDistributedApplicationBuilder builder) =>
        builder.AddResource(new AzuriteContainerResource(Storage))
            .WithImage("azure-storage/azurite", "3.35.0")
            .WithImageRegistry("mcr.microsoft.com")
            .WithHttpEndpoint(name: "blob", targetPort: 10000)
            .WithArgs("azurite-blob", "--blobHost", "0.0.0.0", "--blobPort", "10000", "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--loose")
            .WithAzuriteHealthCheck();

    /// <summary>
    /// A pipeline service: one HTTP endpoint on 127.0.0.1 (ASPNETCORE_URLS), ready when /health answers, the two
    /// connection strings every service reads, and OTLP to the dashboard (Aspire sets OTEL_* for projects).
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddPipelineService<TProject>(this IDistributedApplicationBuilder builder, string name,
        IResourceBuilder<IResourceWithConnectionString> broker, IResourceBuilder<IResourceWithConnectionString> storage)
        where TProject : IProjectMetadata, new() =>
        builder.AddProject<TProject>(name, options => options.ExcludeLaunchProfile = true)
            .WithHttpEndpoint(name: "http")
            .WithEndpoint("http", e => e.TargetHost = "127.0.0.1")
            .WithHttpHealthCheck("/health")
            .WithReference(broker, connectionName: "messaging").WaitFor(broker)
            .WithReference(storage, connectionName: "artifacts").WaitFor(storage);

    /// <summary>Healthy once the broker answers an AMQP protocol header with a method frame (DCP's proxy accepts TCP at once).</summary>
    private static IResourceBuilder<T> WithAmqpHealthCheck<T>(this IResourceBuilder<T> resource, Func<T, EndpointReference> endpoint) where T : IResource
    {
        var key = $"{resource.Resource.Name}-amqp";
        resource.ApplicationBuilder.Services.AddHealthChecks().AddAsyncCheck(key, async ct =>
        {
            var amqp = endpoint(resource.Resource);
            if (!amqp.IsAllocated) return HealthCheckResult.Unhealthy("the AMQP endpoint has no port yet");
            try
            {
                using var client = new TcpClient();
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                await client.ConnectAsync("127.0.0.1", amqp.Port, timeout.Token);
                var stream = client.GetStream();
                await stream.WriteAsync("AMQP\0\0\u0009\u0001"u8.ToArray(), timeout.Token);
                var frame = new byte[1];
                var read = await stream.ReadAsync(frame, timeout.Token);
                return read == 1 && frame[0] == 1
                    ? HealthCheckResult.Healthy()
                    : HealthCheckResult.Unhealthy("the port accepted a connection but did not answer the AMQP 0-9-1 header");
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy($"no AMQP answer on 127.0.0.1:{amqp.Port}: {e.Message}");
            }
        });
        return resource.WithHealthCheck(key);
    }

    /// <summary>Healthy once the blob endpoint answers HTTP as Azurite (its Server header).</summary>
    private static IResourceBuilder<T> WithAzuriteHealthCheck<T>(this IResourceBuilder<T> resource) where T : IAzuriteResource
    {
        var key = $"{resource.Resource.Name}-blob";
        resource.ApplicationBuilder.Services.AddHealthChecks().AddAsyncCheck(key, async ct =>
        {
            var blob = resource.Resource.Blob;
            if (!blob.IsAllocated) return HealthCheckResult.Unhealthy("the blob endpoint has no port yet");
            try
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
                using var response = await http.GetAsync($"http://127.0.0.1:{blob.Port}/devstoreaccount1?comp=list", ct);
                var server = string.Join(' ', response.Headers.Server.Select(s => s.ToString()));
                return server.Contains("Azurite", StringComparison.OrdinalIgnoreCase)
                    ? HealthCheckResult.Healthy(server)
                    : HealthCheckResult.Unhealthy($"127.0.0.1:{blob.Port} answered HTTP {(int)response.StatusCode} but not as Azurite (Server: '{server}')");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return HealthCheckResult.Unhealthy($"no HTTP answer on 127.0.0.1:{blob.Port}: {e.Message}");
            }
        });
        return resource.WithHealthCheck(key);
    }

    /// <summary>A new, empty folder for this AppHost's broker; folders of AppHosts no longer running are removed.</summary>
    private static string FreshStateDirectory(string parent)
    {
        Directory.CreateDirectory(parent);
        foreach (var stale in Directory.GetDirectories(parent))
            if (int.TryParse(Path.GetFileName(stale), out var pid) && !ProcessExists(pid))
                try { Directory.Delete(stale, recursive: true); } catch (IOException) { /* another run may be cleaning up too */ }
        var state = Path.Combine(parent, Environment.ProcessId.ToString());
        if (Directory.Exists(state)) Directory.Delete(state, recursive: true);
        Directory.CreateDirectory(state);
        return state;
    }

    private static int FreeLoopbackPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static bool ProcessExists(int pid)
    {
        try { using var p = System.Diagnostics.Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
    }
}
