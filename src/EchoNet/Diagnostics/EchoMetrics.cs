using System.Diagnostics.Metrics;

namespace EchoNet.Diagnostics;

/// <summary>
/// The meter <c>EchoNet</c> of one server, with OpenTelemetry-style names. The counting instruments observe
/// <see cref="ServerCounters"/>, so they cost nothing until a listener reads them; only the connection duration is
/// recorded as it happens.
/// </summary>
internal sealed class EchoMetrics : IDisposable
{
    public const string MeterName = "EchoNet";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Histogram<double> _connectionDuration;
    private readonly KeyValuePair<string, object?>[] _tcpTags;

    public EchoMetrics(IMeterFactory? meterFactory, ServerCounters counters, int port, string networkType, string? model)
    {
        KeyValuePair<string, object?>[] meterTags = [new("server.port", port)];
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(new MeterOptions(MeterName) { Tags = meterTags }) ?? new Meter(MeterName, null, meterTags);

        KeyValuePair<string, object?>[] tcp = [new("network.transport", "tcp"), new("network.type", networkType), new("server.port", port), new("echonet.model", model)];
        _tcpTags = tcp;
        KeyValuePair<string, object?>[] udp = [new("network.transport", "udp"), new("network.type", networkType), new("server.port", port)];
        KeyValuePair<string, object?>[] accepted = [.. tcp, new("echonet.connection.result", "accepted")];
        KeyValuePair<string, object?>[] rejectedTotal = [.. tcp, new("echonet.connection.result", "rejected"), new("error.type", "max_connections")];
        KeyValuePair<string, object?>[] rejectedSource = [.. tcp, new("echonet.connection.result", "rejected"), new("error.type", "max_connections_per_source")];
        KeyValuePair<string, object?>[] closedIdle = [.. tcp, new("error.type", "idle_timeout")];
        KeyValuePair<string, object?>[] closedStalled = [.. tcp, new("error.type", "send_stall_timeout")];

        _meter.CreateObservableUpDownCounter(
            "echonet.server.active_connections", () => new Measurement<long>(counters.ActiveConnections, tcp), "{connection}", "TCP connections open now.");
        _meter.CreateObservableCounter<long>(
            "echonet.server.connections",
            () => (Measurement<long>[])[new(counters.AcceptedConnections, accepted), new(counters.RejectedTooManyConnections, rejectedTotal), new(counters.RejectedTooManyFromSource, rejectedSource)],
            "{connection}",
            "TCP connections accepted, and refused by the limit they broke.");
        _meter.CreateObservableCounter<long>(
            "echonet.server.connections.timed_out",
            () => (Measurement<long>[])[new(counters.ClosedIdle, closedIdle), new(counters.ClosedStalled, closedStalled)],
            "{connection}",
            "TCP connections the server closed for the idle or send-stall timeout.");
        _meter.CreateObservableCounter(
            "echonet.server.bytes_received", () => new Measurement<long>(counters.BytesReceived, tcp), "By", "Bytes received over TCP and UDP.");
        _meter.CreateObservableCounter(
            "echonet.server.bytes_sent", () => new Measurement<long>(counters.BytesSent, tcp), "By", "Bytes sent back over TCP and UDP.");
        _meter.CreateObservableCounter(
            "echonet.server.datagrams_received", () => new Measurement<long>(counters.DatagramsReceived, udp), "{datagram}", "UDP datagrams received.");
        _connectionDuration = _meter.CreateHistogram<double>(
            "echonet.server.connection.duration", "s", "How long TCP connections lasted.");
    }

    public void ConnectionClosed(TimeSpan duration) => _connectionDuration.Record(duration.TotalSeconds, _tcpTags);

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
