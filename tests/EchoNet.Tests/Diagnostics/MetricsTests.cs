using System.Diagnostics.Metrics;
using System.Net.Sockets;
using EchoNet.Tests.Support;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace EchoNet.Tests.Diagnostics;

/// <summary>The <c>EchoNet</c> meter: instrument names, values and tags a dashboard can rely on.</summary>
[Collection(nameof(SmallServicePorts))]
public sealed class MetricsTests
{
    [Fact]
    public async Task Meter_ReportsConnectionsBytesAndDuration_WithTheirTags()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        using var meterFactory = new TestMeterFactory();
        await using EchoServer server = new EchoServerBuilder().UseSelect().UseMeterFactory(meterFactory).Listen(0);
        Meter meter = Assert.Single(meterFactory.Meters);
        using var active = new MetricCollector<long>(meter, "echonet.server.active_connections");
        using var connections = new MetricCollector<long>(meter, "echonet.server.connections");
        using var received = new MetricCollector<long>(meter, "echonet.server.bytes_received");
        using var sent = new MetricCollector<long>(meter, "echonet.server.bytes_sent");
        using var duration = new MetricCollector<double>(meter, "echonet.server.connection.duration");

        using (Socket client = await Loopback.ConnectAsync(server, timeout.Token))
        {
            Assert.Equal(4096, (await Loopback.EchoToEndAsync(client, Loopback.RandomBytes(4096, seed: 1), timeout.Token)).Length);
        }

        await duration.WaitForMeasurementsAsync(1, Loopback.Timeout);
        foreach (var collector in new[] { active, connections, received, sent })
        {
            collector.RecordObservableInstruments();
        }

        Assert.Equal(0, active.LastMeasurement!.Value);
        CollectedMeasurement<long> accepted = Assert.Single(connections.GetMeasurementSnapshot(), m => m.Tags["echonet.connection.result"] is "accepted");
        Assert.Equal(1, accepted.Value);
        Assert.Equal(4096, Assert.Single(received.GetMeasurementSnapshot(), m => m.Tags["network.transport"] is "tcp").Value);
        Assert.Equal(4096, Assert.Single(sent.GetMeasurementSnapshot(), m => m.Tags["network.transport"] is "tcp").Value);
        CollectedMeasurement<double> lasted = Assert.Single(duration.GetMeasurementSnapshot());
        Assert.True(lasted.Value > 0);
        Assert.Equal("tcp", lasted.Tags["network.transport"]);
        Assert.Equal("ipv6", lasted.Tags["network.type"]);
        Assert.Equal(server.LocalEndPoint.Port, lasted.Tags["server.port"]);
        Assert.Equal("Select", lasted.Tags["echonet.model"]);
    }

    [Fact]
    public async Task Meter_CountsRejectedConnections_ByTheLimitTheyBroke()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        using var meterFactory = new TestMeterFactory();
        await using EchoServer server = new EchoServerBuilder().UseAsync().UseConnectionLimits(1).UseMeterFactory(meterFactory).Listen(0);
        using var connections = new MetricCollector<long>(Assert.Single(meterFactory.Meters), "echonet.server.connections");
        using Socket admitted = await Loopback.ConnectAsync(server, timeout.Token);
        await Loopback.SendAllAsync(admitted, "x"u8.ToArray(), timeout.Token);
        Assert.Equal("x"u8.ToArray(), await Loopback.ReceiveExactlyAsync(admitted, 1, timeout.Token));

        try
        {
            using Socket refused = await Loopback.ConnectAsync(server, timeout.Token);
            await Loopback.ServerClosedAsync(refused, timeout.Token);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            // Reset during the handshake's last step: refused all the same.
        }

        connections.RecordObservableInstruments();
        CollectedMeasurement<long> rejected = Assert.Single(connections.GetMeasurementSnapshot(), m => m.Tags["echonet.connection.result"] is "rejected" && m.Tags["error.type"] is "max_connections");
        Assert.Equal(1, rejected.Value);
    }

    [Fact]
    public async Task Meter_CountsDatagrams_AndDropsByReason()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        using var meterFactory = new TestMeterFactory();
        await using EchoServer server = new EchoServerBuilder().UseUdp().UseMeterFactory(meterFactory).Listen(0);
        Meter meter = Assert.Single(meterFactory.Meters);
        using var received = new MetricCollector<long>(meter, "echonet.server.datagrams_received");
        using var dropped = new MetricCollector<long>(meter, "echonet.server.datagrams_dropped");
        using var chargen = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        chargen.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 19));
        chargen.Connect(Loopback.EndPointOf(server));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Connect(Loopback.EndPointOf(server));

        await chargen.SendAsync("loop"u8.ToArray(), SocketFlags.None, timeout.Token);
        await client.SendAsync("echo"u8.ToArray(), SocketFlags.None, timeout.Token);
        byte[] reply = new byte[16];
        Assert.Equal(4, await client.ReceiveAsync(reply, SocketFlags.None, timeout.Token));

        received.RecordObservableInstruments();
        dropped.RecordObservableInstruments();
        Assert.Equal(2, received.LastMeasurement!.Value);
        Assert.Equal(1, Assert.Single(dropped.GetMeasurementSnapshot(), m => m.Tags["error.type"] is "blocked_port").Value);
        Assert.Equal(1, server.Statistics.DatagramsDropped);

        // The server counts an answer once its send returns, which can be after the client has it.
        Assert.True(await Poll.UntilAsync(() => server.Statistics.DatagramsSent == 1, TimeSpan.FromSeconds(5), timeout.Token), $"the server counted {server.Statistics}");
    }

    [Fact]
    public async Task Meter_CountsTlsHandshakes_SucceededByProtocolVersion_FailedByErrorType()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        using var meterFactory = new TestMeterFactory();
        await using EchoServer server = new EchoServerBuilder().UseTls(TestCertificates.Localhost).UseMeterFactory(meterFactory).Listen(0);
        using var handshakes = new MetricCollector<long>(Assert.Single(meterFactory.Meters), "echonet.server.tls.handshakes");

        await using (EchoClient client = await EchoClient.ConnectAsync("localhost", server.LocalEndPoint.Port, TestCertificates.TrustingClient(), cancellationToken: timeout.Token))
        {
            Assert.Equal("ok", await client.EchoAsync("ok", timeout.Token));
        }

        using (Socket plain = await Loopback.ConnectAsync(server, timeout.Token))
        {
            await Loopback.SendAllAsync(plain, "plain text\n"u8.ToArray(), timeout.Token);
            await Loopback.ServerClosedAsync(plain, timeout.Token);
        }

        await handshakes.WaitForMeasurementsAsync(2, Loopback.Timeout);
        IReadOnlyList<CollectedMeasurement<long>> measured = handshakes.GetMeasurementSnapshot();
        CollectedMeasurement<long> succeeded = Assert.Single(measured, m => m.Tags["echonet.tls.result"] is "succeeded");
        Assert.Equal("1.3", succeeded.Tags["tls.protocol.version"]);
        Assert.Equal("tcp", succeeded.Tags["network.transport"]);
        CollectedMeasurement<long> failed = Assert.Single(measured, m => m.Tags["echonet.tls.result"] is "failed");
        Assert.Equal("handshake_failed", failed.Tags["error.type"]);
    }

    /// <summary>A meter factory of the test's own, so only this test's server reports to it.</summary>
    private sealed class TestMeterFactory : IMeterFactory
    {
        public List<Meter> Meters { get; } = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
            Meters.Add(meter);
            return meter;
        }

        public void Dispose() => Meters.ForEach(meter => meter.Dispose());
    }
}
