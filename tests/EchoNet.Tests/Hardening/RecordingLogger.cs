using System.Collections.Concurrent;
using EchoNet.Diagnostics;
using Microsoft.Extensions.Logging;

namespace EchoNet.Tests.Hardening;

/// <summary>A logger that keeps every entry it is given, for tests that check what was logged.</summary>
internal sealed class RecordingLogger : ILogger
{
    public ConcurrentQueue<Entry> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        Entries.Enqueue(new Entry(logLevel, eventId.Id, formatter(state, exception), values.ToDictionary(pair => pair.Key, pair => pair.Value)));
    }

    public sealed record Entry(LogLevel Level, int EventId, string Message, IReadOnlyDictionary<string, object?> Values);
}
