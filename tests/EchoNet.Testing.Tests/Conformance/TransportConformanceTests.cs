using System.Net;
using EchoNet.Tests.Support;

namespace EchoNet.Testing.Tests.Conformance;

/// <summary>EchoNet's UDP server, both transports on one port, and IPv6 pass the checks that apply.</summary>
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
