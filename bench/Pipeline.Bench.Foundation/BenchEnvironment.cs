namespace Pipeline.Bench.Foundation;

/// <summary>
/// The servers the benchmarks run against, from the variables that <c>infra/local/deps.sh start</c> writes
/// to <c>.infra/run/env.sh</c>. Nothing is defaulted: a benchmark against the wrong server is worse than none.
/// </summary>
public sealed record BenchEnvironment(string RabbitMq, string RabbitMqManagement, string Blob)
{
    public const string RabbitMqVariable = "PIPELINE_TEST_RABBITMQ";
    public const string RabbitMqManagementVariable = "PIPELINE_TEST_RABBITMQ_MANAGEMENT";
    public const string BlobVariable = "PIPELINE_TEST_BLOB";

    public static BenchEnvironment FromEnvironment() =>
        new(Require(RabbitMqVariable, "the AMQP URI of RabbitMQ, e.g. amqp://guest:guest@127.0.0.1:5672/"),
            Require(RabbitMqManagementVariable, "the RabbitMQ management API, e.g. http://127.0.0.1:15672 (used to create a private virtual host)"),
            Require(BlobVariable, "the Azurite connection string"));

    private static string Require(string name, string what) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"Environment variable {name} is not set ({what}). Start the local servers and load their addresses: " +
                "infra/local/deps.sh start && source .infra/run/env.sh (or use bench/run-foundation.sh, which does both).");
}
