using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Pipeline.Cli.Console;

/// <summary>
/// The embedded run's log: every service log line, exceptions with their stack traces included, goes to one file under the
/// artifact folder (logs/run-TIMESTAMP.log) instead of the console, where the progress view and the one-line failure reason
/// are what a person reads. `pipeline run --verbose` shows the log on the console as well.
/// </summary>
internal sealed class RunLogFile : ILoggerProvider
{
    private readonly StreamWriter writer;
    private readonly object gate = new();
    private readonly ConcurrentDictionary<string, Logger> loggers = new();

    public RunLogFile(string artifacts)
    {
        var directory = System.IO.Path.Combine(artifacts, "logs");
        Directory.CreateDirectory(directory);
        Path = System.IO.Path.Combine(directory, $"run-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}.log");
        writer = new StreamWriter(Path, append: true) { AutoFlush = true };
    }

    public string Path { get; }

    public ILogger CreateLogger(string categoryName) => loggers.GetOrAdd(categoryName, name => new Logger(this, name));

    private void Write(string line)
    {
        lock (gate) writer.WriteLine(line);
    }

    public void Dispose()
    {
        lock (gate) writer.Dispose();
    }

    private sealed class Logger(RunLogFile file, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            file.Write($"{DateTime.UtcNow:O} {logLevel,-11} {category}: {formatter(state, exception)}" + (exception is null ? "" : Environment.NewLine + exception));
        }
    }
}
