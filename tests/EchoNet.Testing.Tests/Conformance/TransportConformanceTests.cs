using System.Net;
using EchoNet.Tests.Support;

namespace EchoNet.Testing.Tests.Conformance;

/// <summary>EchoNet's UDP server, both transports on one port, and IPv6 pass the checks that apply; a Unix socket gets no UDP checks.</summary>
public sealed class TransportConformanceTests
{
    [Fact]
    public async Task Udp_PassesEveryDatagramCheck()
    {
        await using EchoServer server = new EchoServerBuilder().UseUdp().BindTo(IPAddress.Loopback).Listen(0);

        EchoConformanceReport report = await RunAsync(server.LocalEndPoint, EchoConformanceTransports.Udp);

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(["udp.datagram-1", "udp.datagram-1500", "udp.datagram-8193", "udp.datagram-65507", "udp.datagram-0"], report.Results.Select(r => r.Name));
    }

    [Fact]
    public async Task UdpChecks_AgainstAUnixSocket_AreAnError_NamingTheTransports()
    {
        var options = new EchoConformanceOptions { Transports = EchoConformanceTransports.Both };

        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(
            () => EchoConformance.RunAsync(new System.Net.Sockets.UnixDomainSocketEndPoint("/tmp/none.sock"), options, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal("options", error.ParamName);
        Assert.Contains("options.Transports is Both, and the UDP checks do not apply to the Unix socket /tmp/none.sock", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TcpAndUdpOnOnePort_PassEveryCheck()
    {
        await using EchoServer server = new EchoServerBuilder().UseTcp().UseUdp().UseSelect().BindTo(IPAddress.Loopback).Listen(0);

        EchoConformanceReport report = await RunAsync(server.LocalEndPoint, EchoConformanceTransports.Both);

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(11, report.Results.Count);
    }

    [Fact]
    public async Task IPv6Loopback_PassesEveryCheck()
    {
        await using EchoServer server = new EchoServerBuilder().UseTcp().UseUdp().BindTo(IPAddress.IPv6Loopback).Listen(0);

        EchoConformanceReport report = await RunAsync(server.LocalEndPoint, EchoConformanceTransports.Both);

        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public async Task DualStackDefaultBind_PassesOverIPv4()
    {
        await using EchoServer server = new EchoServerBuilder().UseAsync().Listen(0);

        EchoConformanceReport report = await RunAsync(new IPEndPoint(IPAddress.Loopback, server.LocalEndPoint.Port), EchoConformanceTransports.Tcp);

        Assert.True(report.Passed, report.ToString());
    }

    private static Task<EchoConformanceReport> RunAsync(EndPoint endPoint, EchoConformanceTransports transports) =>
        EchoConformance.RunAsync(endPoint, new EchoConformanceOptions { Transports = transports }, cancellationToken: TestContext.Current.CancellationToken)
            .WaitAsync(Loopback.Timeout, TestContext.Current.CancellationToken);
}
