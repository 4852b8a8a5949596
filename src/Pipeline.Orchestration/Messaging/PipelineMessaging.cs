using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts;
using Pipeline.Orchestration.Runs;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Orchestration.Messaging;

/// <summary>
/// The bus, wired the same way in every host: the in-memory transport for embedded runs, RabbitMQ for the
/// distributed wiring. Only the transport differs; the consumers and their endpoints are the same.
/// </summary>
public static class PipelineMessaging
{
    /// <summary>The messaging connection string that selects the in-memory transport.</summary>
    public const string InMemory = "in-memory";

    /// <param name="messaging"><c>in-memory</c>, or an AMQP URI such as <c>amqp://guest:guest@127.0.0.1:5672/</c>.</param>
    /// <param name="runManager">Host the run manager (the API service, or the embedded process).</param>
    /// <param name="stages">The stages whose commands this host consumes.</param>
    public static IServiceCollection AddPipelineBus(this IServiceCollection services, string messaging, bool runManager,
        IReadOnlyCollection<string> stages, Action<IBusRegistrationConfigurator>? configure = null)
    {
        services.AddMassTransit(x =>
        {
            x.SetKebabCaseEndpointNameFormatter();
            if (runManager) x.AddConsumer<PipelineRunManager, PipelineRunManagerDefinition>();
            foreach (var stage in stages)
            {
                var commandType = StageCatalog.For(stage).CommandType;
                x.AddConsumer(typeof(StageConsumer<>).MakeGenericType(commandType), typeof(StageConsumerDefinition<>).MakeGenericType(commandType));
            }
            if (stages.Count > 0)
                x.AddConsumer<RunCancelledConsumer>().Endpoint(e =>
                {
                    // Every replica needs its own copy of a cancellation: a temporary queue per instance.
                    e.Temporary = true;
                    e.InstanceId = Guid.NewGuid().ToString("N")[..8];
                });
            configure?.Invoke(x);

            if (IsInMemory(messaging))
                x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
            else
                x.UsingRabbitMq((context, cfg) =>
                {
                    var uri = ParseAmqp(messaging);
                    cfg.Host(uri.Host, (ushort)uri.Port, uri.VirtualHost, h =>
                    {
                        h.Username(uri.User);
                        h.Password(uri.Password);
                        if (uri.Tls) h.UseSsl(s => s.Protocol = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13);
                    });
                    cfg.ConfigureEndpoints(context);
                });
        });
        return services;
    }

    public static bool IsInMemory(string messaging) =>
        string.Equals(messaging, InMemory, StringComparison.OrdinalIgnoreCase) || string.Equals(messaging, "inmemory", StringComparison.OrdinalIgnoreCase);

    internal sealed record AmqpAddress(string Host, int Port, string VirtualHost, string User, string Password, bool Tls);

    internal static AmqpAddress ParseAmqp(string connection)
    {
        if (!Uri.TryCreate(connection, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps" or "rabbitmq"))
            throw new ArgumentException(
                $"ConnectionStrings:messaging: '{connection}' is neither '{InMemory}' nor an AMQP URI such as amqp://guest:guest@127.0.0.1:5672/ (amqps:// for TLS).");
        var tls = uri.Scheme == "amqps";
        var userInfo = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);
        var vhost = uri.AbsolutePath.Trim('/');
        return new AmqpAddress(uri.Host, uri.IsDefaultPort || uri.Port <= 0 ? (tls ? 5671 : 5672) : uri.Port, vhost.Length == 0 ? "/" : vhost,
            userInfo.Length > 0 && userInfo[0].Length > 0 ? userInfo[0] : "guest", userInfo.Length > 1 ? userInfo[1] : "guest", tls);
    }
}
