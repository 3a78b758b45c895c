using System.Net;
using System.Net.Sockets;
using EchoNet.Testing.Tests.BrokenServers;
using EchoNet.Tests.Support;

namespace EchoNet.Testing.Tests.Conformance;

/// <summary>The checks fail servers that break RFC 862, each with a reason that says what went wrong.</summary>
public sealed class BrokenServerConformanceTests
{
    [Fact]
    public async Task Udp_TruncatingServer_FailsTheLargeDatagrams_AsTruncated()
    {
        await using var server = new TruncatingUdpEchoServer();

        EchoConformanceReport report = await RunAsync(server.EndPoint, new EchoConformanceOptions { Transports = EchoConformanceTransports.Udp });

        Assert.False(report.Passed);
        Assert.Equal(["udp.datagram-1500", "udp.datagram-8193", "udp.datagram-65507"], report.Failures.Select(r => r.Name));
        EchoCheckResult largest = report.Results.Single(r => r.Name == "udp.datagram-65507");
        Assert.Equal($"a datagram of 65,507 bytes was answered with {TruncatingUdpEchoServer.BufferSize:N0} bytes (truncated): the answer must carry the same bytes", largest.Detail);
        Assert.True(report.Results.Single(r => r.Name == "udp.datagram-0").Passed, report.ToString());
    }

    [Fact]
    public async Task HalfClose_ServerThatClosesOnFinWithEchoOwed_FailsOnlyTheHalfCloseCheck()
    {
        await using var server = new DelayedEchoServer();

        EchoConformanceReport report = await RunAsync(server.EndPoint, new EchoConformanceOptions());

        EchoCheckResult failure = Assert.Single(report.Failures);
        Assert.Equal("tcp.half-close", failure.Name);
        Assert.StartsWith("the server closed the connection after echoing 0 of 65,537 bytes", failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NothingListening_EveryTcpCheckFails_CannotConnect()
    {
        // Bound but not listening: the port is ours and certainly refuses connections.
        using var placeholder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        placeholder.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        EchoConformanceReport report = await RunAsync(placeholder.LocalEndPoint!, new EchoConformanceOptions());

        Assert.Equal(6, report.Results.Count);
        Assert.All(report.Results, r => Assert.StartsWith("cannot connect to TCP 127.0.0.1:", r.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Udp_NothingListening_FailsEveryDatagramCheck()
    {
        using var placeholder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        placeholder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var options = new EchoConformanceOptions { Transports = EchoConformanceTransports.Udp, DatagramSizes = [1], DatagramTimeout = TimeSpan.FromMilliseconds(100) };

        EchoConformanceReport report = await RunAsync(placeholder.LocalEndPoint!, options);

        EchoCheckResult failure = Assert.Single(report.Failures);
        Assert.Equal("no answer to a datagram of 1 byte after 3 attempts of 0.1 s each", failure.Detail);
    }

    [Fact]
    public async Task Options_OutOfRange_ThrowNamingTheOption()
    {
        var options = new EchoConformanceOptions { Transports = EchoConformanceTransports.None };

        ArgumentOutOfRangeException error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => EchoConformance.RunAsync(new IPEndPoint(IPAddress.Loopback, 7), options, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal("Transports", error.ParamName);
    }

    private static Task<EchoConformanceReport> RunAsync(EndPoint endPoint, EchoConformanceOptions options) =>
        EchoConformance.RunAsync(endPoint, options, cancellationToken: TestContext.Current.CancellationToken)
            .WaitAsync(Loopback.Timeout, TestContext.Current.CancellationToken);
}
