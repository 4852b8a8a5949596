namespace Pipeline.IntegrationTests.Infrastructure;

/// <summary>The real servers test.sh starts; a missing one fails the test with what to do, never skips it.</summary>
public static class TestEnvironment
{
    public static string RabbitMq => Require("PIPELINE_TEST_RABBITMQ");
    public static string RabbitMqManagement => Require("PIPELINE_TEST_RABBITMQ_MANAGEMENT");
    public static string Blob => Require("PIPELINE_TEST_BLOB");
    /// <summary>The folder of rabbitmq-server and rabbitmqctl, for fault tests that run a broker of their own.</summary>
    public static string RabbitMqBin => Require("PIPELINE_TEST_RABBITMQ_BIN");
    /// <summary>The azurite-blob binary deps.sh installs, for fault tests that run a storage server of their own.</summary>
    public static string AzuriteBlob => Require("PIPELINE_TEST_AZURITE_BLOB");

    private static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run ./test.sh, which starts RabbitMQ and Azurite (infra/local/deps.sh) and exports it (or: infra/local/deps.sh start && . .infra/run/env.sh).");

    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln"))) return dir.FullName;
            throw new InvalidOperationException($"Pipeline.sln not found above {AppContext.BaseDirectory}.");
        }
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
