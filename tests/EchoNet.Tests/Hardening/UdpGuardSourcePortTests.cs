using System.Net;
using System.Net.Sockets;
using EchoNet.Diagnostics;
using EchoNet.Server.Connections;
using EchoNet.Server.Udp;
using EchoNet.Tests.Support;

namespace EchoNet.Tests.Hardening;

/// <summary>
/// Datagrams from the small services' ports (7 echo, 19 chargen) are never answered, so two servers cannot be set
/// answering each other forever (CERT CA-1996-01). The clients bind ports 7 and 19, which takes root (tests run as
/// root, here and in CI); the <see cref="SmallServicePorts"/> collection keeps them from binding one at the same time.
/// </summary>
[Collection(nameof(SmallServicePorts))]
public sealed class UdpGuardSourcePortTests
{
    public static TheoryData<int, bool> PortsAndFamilies() => new() { { 7, false }, { 19, false }, { 7, true }, { 19, true } };

    [Theory]
    [MemberData(nameof(PortsAndFamilies))]
    public async Task DatagramFromSmallServicePort_IsNotAnswered_AndOthersStillAre(int sourcePort, bool ipv6)
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = new EchoServerBuilder().UseUdp().Listen(0);
        AddressFamily family = ipv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        using Socket smallService = BindSmallService(family, sourcePort);
        smallService.Connect(Loopback.EndPointOf(server, family));
        using var client = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        client.Connect(Loopback.EndPointOf(server, family));

        await smallService.SendAsync("loop?"u8.ToArray(), SocketFlags.None, timeout.Token);
        byte[]? answer = await UdpDatagrams.TryReceiveAsync(smallService, timeout.Token);
        byte[] echoed = await UdpDatagrams.RoundTripAsync(client, "alive"u8.ToArray(), timeout.Token);

        Assert.Null(answer);
        Assert.Equal("alive"u8.ToArray(), echoed);

        // The server answers in order, so had it answered port 7 or 19, that answer would be queued by now.
        Assert.Equal(0, smallService.Available);
    }

    [Fact]
    public async Task GuardOff_AnswersPort7()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = new EchoServerBuilder().UseUdp().Configure(o => o.UdpGuard.Enabled = false).Listen(0);
        using Socket smallService = BindSmallService(AddressFamily.InterNetwork, 7);
        smallService.Connect(Loopback.EndPointOf(server));

        byte[] echoed = await UdpDatagrams.RoundTripAsync(smallService, "loop?"u8.ToArray(), timeout.Token);

        Assert.Equal("loop?"u8.ToArray(), echoed);
    }

    [Fact]
    public async Task Drops_AreCountedByReason_AndLoggedAsOneSummary_WithoutPayload()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        var logger = new LogRecorder();
        var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp) { DualMode = true };
        socket.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
        var serverEndPoint = new IPEndPoint(IPAddress.Loopback, ((IPEndPoint)socket.LocalEndPoint!).Port);
        var loop = new UdpEchoLoop(socket, new ServerContext(new EchoServerOptions(), logger, new ServerCounters(), metrics: null, maxConnections: null));
        loop.Start();
        try
        {
            using Socket chargen = BindSmallService(AddressFamily.InterNetwork, 19);
            chargen.Connect(serverEndPoint);
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            client.Connect(serverEndPoint);

            for (int i = 0; i < 5; i++)
            {
                await chargen.SendAsync("SECRET-PAYLOAD\r\n"u8.ToArray(), SocketFlags.None, timeout.Token);
            }

            await UdpDatagrams.RoundTripAsync(client, "alive"u8.ToArray(), timeout.Token);

            Assert.Equal(5, loop.Drops.BlockedPort);
            Assert.Equal(5, loop.Drops.Total);
        }
        finally
        {
            loop.BeginStop();
            await loop.Completion.WaitAsync(timeout.Token);
        }

        // One line at the first drop, one for the rest when the loop stopped; never the payload.
        LogEntry[] drops = [.. logger.Entries.Where(e => e.Id.Id == 31)];
        Assert.Equal(2, drops.Length);
        Assert.Equal(5L, drops.Sum(e => (long)e.Values["Count"]!));
        Assert.All(drops, e => Assert.Equal(IPAddress.Loopback, e.Values["Source"]));
        Assert.All(drops, e => Assert.Equal(19, e.Values["SourcePort"]));
        Assert.DoesNotContain(logger.Entries, e => e.Message.Contains("SECRET", StringComparison.Ordinal) || e.Values.Values.Any(v => v is string s && s.Contains("SECRET", StringComparison.Ordinal)));
        Assert.Equal(0, loop.Drops.InvalidSource + loop.Drops.SourceRateLimited + loop.Drops.GlobalRateLimited);
    }

    private static Socket BindSmallService(AddressFamily family, int port)
    {
        var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, port));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
