using System.Collections.Concurrent;
using EchoNet.Diagnostics;
using Microsoft.Extensions.Logging;

namespace EchoNet.Tests.Support;

/// <summary>
/// A logger factory that counts what a server logs, by event name and by level, and keeps the last value of each
/// named argument of each event: enough to observe from outside how many connections a server accepted and ended.
/// </summary>
internal sealed class RecordingLoggerFactory : ILoggerFactory, ILogger
{
    private readonly ConcurrentDictionary<string, int> _eventCounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<LogLevel, int> _levelCounts = new();
    private readonly ConcurrentDictionary<string, object?> _lastArguments = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _errors = new();

    /// <summary>Gets how many times the event named <paramref name="eventName"/> was logged.</summary>
    public int Count(string eventName) => _eventCounts.GetValueOrDefault(eventName);

    /// <summary>Gets how many messages were logged at <paramref name="level"/>.</summary>
    public int Count(LogLevel level) => _levelCounts.GetValueOrDefault(level);

    /// <summary>Gets the messages logged at Error or above, for a failure message.</summary>
    public IReadOnlyCollection<string> Errors => _errors;

    /// <summary>Gets the value the argument <paramref name="argument"/> had the last time <paramref name="eventName"/> was logged.</summary>
    public object? LastArgument(string eventName, string argument) => _lastArguments.GetValueOrDefault($"{eventName}.{argument}");

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("The recorder records; it does not forward.");

    public bool IsEnabled(LogLevel logLevel) => true;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        string name = eventId.Name ?? eventId.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _eventCounts.AddOrUpdate(name, 1, static (_, count) => count + 1);
        _levelCounts.AddOrUpdate(logLevel, 1, static (_, count) => count + 1);
        if (state is IReadOnlyList<KeyValuePair<string, object?>> arguments)
        {
            foreach (KeyValuePair<string, object?> argument in arguments)
            {
                _lastArguments[$"{name}.{argument.Key}"] = argument.Value;
            }
        }

        if (logLevel >= LogLevel.Error)
        {
            _errors.Enqueue($"{name}: {formatter(state, exception)} {exception}");
        }
    }

    public void Dispose()
    {
    }
}
