namespace EchoNet.Load;

/// <summary>
/// The open-loop schedule of one connection. The run sends one message every 1/rate s, dealt to its connections in
/// turn, so message k of connection i of n is due at start + (i + k × n) / rate: evenly spread, and exact over any
/// length of run (computed from k, never accumulated).
/// </summary>
internal sealed class SendSchedule
{
    private readonly long _start;
    private readonly double _ticksPerMessage;
    private readonly int _index;
    private readonly int _connections;

    public SendSchedule(long start, double ticksPerMessage, int index, int connections)
    {
        _start = start;
        _ticksPerMessage = ticksPerMessage;
        _index = index;
        _connections = connections;
    }

    /// <summary>The <see cref="System.Diagnostics.Stopwatch"/> timestamp message <paramref name="message"/> of this connection is due at.</summary>
    public long DueAt(long message) => _start + (long)((_index + (message * _connections)) * _ticksPerMessage);
}
