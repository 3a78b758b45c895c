using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace EchoNet.Tests.Support;

/// <summary>
/// The one log recorder of these tests: a logger factory (for a server's builder) and a logger (for a type that
/// takes one) that keeps every entry, with its event id, level, message and named values.
/// </summary>
internal sealed class LogRecorder : ILoggerFactory, ILogger
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    /// <summary>Gets every entry, in the order logged.</summary>
    public IReadOnlyCollection<LogEntry> Entries => _entries;

    /// <summary>Gets the messages logged at Error or above, for a failure message.</summary>
    public IEnumerable<string> Errors => _entries.Where(static e => e.Level >= LogLevel.Error).Select(static e => $"{e.Id.Name}: {e.Message} {e.Exception}");

    /// <summary>Gets how many times the event named <paramref name="eventName"/> was logged.</summary>
    public int Count(string eventName) => _entries.Count(e => e.Id.Name == eventName);

    /// <summary>Gets how many entries were logged at <paramref name="level"/> or above.</summary>
    public int CountAtLeast(LogLevel level) => _entries.Count(e => e.Level >= level);

    /// <summary>Gets the last entry of the event named <paramref name="eventName"/>; fails the test if there is none.</summary>
    public LogEntry Last(string eventName) =>
        _entries.LastOrDefault(e => e.Id.Name == eventName) ?? throw new Xunit.Sdk.XunitException($"Nothing was logged as {eventName}.");

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("The recorder records; it does not forward.");

    public bool IsEnabled(LogLevel logLevel) => true;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        _entries.Enqueue(new LogEntry(logLevel, eventId, formatter(state, exception), values.ToDictionary(pair => pair.Key, pair => pair.Value), exception));
    }

    public void Dispose()
    {
    }
}

/// <summary>One entry of a <see cref="LogRecorder"/>.</summary>
internal sealed record LogEntry(LogLevel Level, EventId Id, string Message, IReadOnlyDictionary<string, object?> Values, Exception? Exception)
{
    /// <summary>Gets the named value <paramref name="name"/> as a number.</summary>
    public long Number(string name) => Convert.ToInt64(Values[name], CultureInfo.InvariantCulture);
}
