using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using EchoNet.Server.Udp;

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
    private readonly Counter<long> _tlsHandshakes;
    private readonly KeyValuePair<string, object?>[] _tcpTags;

    public EchoMetrics(IMeterFactory? meterFactory, ServerCounters counters, EndPoint bound, string? model)
    {
        // An IP socket is told by its port and family; a Unix socket by its path (OpenTelemetry's server.address).
        KeyValuePair<string, object?>[] where = bound is IPEndPoint ip
            ? [new("network.type", ip.AddressFamily == AddressFamily.InterNetworkV6 ? "ipv6" : "ipv4"), new("server.port", ip.Port)]
            : [new("server.address", bound.ToString())];
        KeyValuePair<string, object?>[] meterTags = [where[^1]];
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(new MeterOptions(MeterName) { Tags = meterTags }) ?? new Meter(MeterName, null, meterTags);

        // The stream listener's tags, TCP's or the Unix socket's: every connection instrument carries them.
        KeyValuePair<string, object?>[] tcp = [new("network.transport", bound is IPEndPoint ? "tcp" : "unix"), .. where, new("echonet.model", model)];
        _tcpTags = tcp;
        KeyValuePair<string, object?>[] udp = [new("network.transport", "udp"), .. where];
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
        _meter.CreateObservableCounter<long>(
            "echonet.server.bytes_received",
            () => (Measurement<long>[])[new(counters.BytesReceived, tcp), new(counters.DatagramBytesReceived, udp)],
            "By",
            "Bytes received, by transport.");
        _meter.CreateObservableCounter<long>(
            "echonet.server.bytes_sent",
            () => (Measurement<long>[])[new(counters.BytesSent, tcp), new(counters.DatagramBytesSent, udp)],
            "By",
            "Bytes sent back, by transport.");
        _meter.CreateObservableCounter(
            "echonet.server.datagrams_received", () => new Measurement<long>(counters.DatagramsReceived, udp), "{datagram}", "UDP datagrams received.");
        _meter.CreateObservableCounter(
            "echonet.server.datagrams_sent", () => new Measurement<long>(counters.DatagramsSent, udp), "{datagram}", "UDP datagrams sent back.");
        KeyValuePair<string, object?>[][] dropTags = [.. Enum.GetValues<UdpDropReason>().Select(reason => (KeyValuePair<string, object?>[])[.. udp, new("error.type", DropTag(reason))])];
        _meter.CreateObservableCounter<long>(
            "echonet.server.datagrams_dropped",
            () => Enum.GetValues<UdpDropReason>().Select(reason => new Measurement<long>(counters.DatagramsDropped[reason], dropTags[(int)reason])),
            "{datagram}",
            "UDP datagrams the guard dropped, by reason.");
        _connectionDuration = _meter.CreateHistogram<double>(
            "echonet.server.connection.duration", "s", "How long TCP connections lasted.");
        _tlsHandshakes = _meter.CreateCounter<long>(
            "echonet.server.tls.handshakes", "{handshake}", "TLS handshakes, succeeded (by protocol version) and failed (by error type).");
    }

    public void TlsHandshakeSucceeded(SslProtocols protocol) =>
        _tlsHandshakes.Add(1, [.. _tcpTags, new("echonet.tls.result", "succeeded"), new("tls.protocol.name", "tls"), new("tls.protocol.version", ProtocolVersion(protocol))]);

    public void TlsHandshakeFailed(string errorType) =>
        _tlsHandshakes.Add(1, [.. _tcpTags, new("echonet.tls.result", "failed"), new("error.type", errorType)]);

    private static string ProtocolVersion(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => "1.3",
        SslProtocols.Tls12 => "1.2",
        _ => protocol.ToString(),
    };

    private static string DropTag(UdpDropReason reason) => reason switch
    {
        UdpDropReason.BlockedPort => "blocked_port",
        UdpDropReason.InvalidSource => "invalid_source",
        UdpDropReason.SourceRateLimited => "source_rate_limited",
        _ => "global_rate_limited",
    };

    public void ConnectionClosed(TimeSpan duration) => _connectionDuration.Record(duration.TotalSeconds, _tcpTags);

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
