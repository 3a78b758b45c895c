using System.Net.Security;
using EchoNet.Testing.Tests.BrokenServers;
using EchoNet.Tests.Support;

namespace EchoNet.Testing.Tests.Conformance;

/// <summary>
/// The checks over TLS: a handshake check that reports protocol and cipher, then every TCP check. EchoNet's TLS echo
/// and socat's pass; a TLS server that corrupts or truncates the echo fails with the reason.
/// </summary>
public sealed class TlsConformanceTests
{
#pragma warning disable CA5359 // The servers under test have self-signed certificates made for the test.
    private static readonly EchoConformanceOptions OverTls = new() { Tls = new SslClientAuthenticationOptions { TargetHost = "localhost", RemoteCertificateValidationCallback = (_, _, _, _) => true } };
#pragma warning restore CA5359

    [Fact]
    public async Task EchoNetTlsServer_PassesTheHandshakeAndEveryTcpCheck()
    {
        await using EchoServer server = new EchoServerBuilder().UseTls(EchoCertificates.CreateSelfSigned()).BindTo(System.Net.IPAddress.Loopback).Listen(0);

        EchoConformanceReport report = await RunAsync(server.LocalEndPoint);

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(7, report.Results.Count);
        EchoCheckResult handshake = report.Results[0];
        Assert.Equal("tls.handshake", handshake.Name);
        Assert.StartsWith("Tls13, TLS_", handshake.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SocatTlsEcho_PassesTheHandshakeAndEveryTcpCheck()
    {
        await using SocatTlsEchoServer socat = await SocatTlsEchoServer.StartAsync(TestContext.Current.CancellationToken);

        EchoConformanceReport report = await RunAsync(socat.EndPoint);

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(7, report.Results.Count);
    }

    [Fact]
    public async Task CorruptingTlsServer_FailsTheChecksThatSendPastTheFirstCorruptByte()
    {
        await using var server = new BrokenTlsEchoServer(TlsBreakage.Corrupts);

        EchoConformanceReport report = await RunAsync(server.EndPoint);

        Assert.False(report.Passed);
        Assert.True(report.Results.Single(r => r.Name == "tls.handshake").Passed, report.ToString());
        EchoCheckResult longMessage = report.Results.Single(r => r.Name == "tcp.long-message");
        Assert.False(longMessage.Passed);
        Assert.Contains("byte 999", longMessage.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TruncatingTlsServer_FailsAsClosedEarly()
    {
        await using var server = new BrokenTlsEchoServer(TlsBreakage.Truncates);

        EchoConformanceReport report = await RunAsync(server.EndPoint);

        Assert.False(report.Passed);
        EchoCheckResult longMessage = report.Results.Single(r => r.Name == "tcp.long-message");
        Assert.StartsWith("the server closed the connection after echoing 1,000 of 100,000 bytes", longMessage.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void TlsWithUdp_IsAnErrorNamingTheOption()
    {
        var options = new EchoConformanceOptions { Transports = EchoConformanceTransports.Both, Tls = new SslClientAuthenticationOptions() };
        ArgumentException error = Assert.ThrowsAny<ArgumentException>(() => EchoConformance.RunAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 7), options, cancellationToken: TestContext.Current.CancellationToken).GetAwaiter().GetResult());
        Assert.Equal("Tls", error.ParamName);
    }

    private static Task<EchoConformanceReport> RunAsync(System.Net.EndPoint endPoint) =>
        EchoConformance.RunAsync(endPoint, OverTls, cancellationToken: TestContext.Current.CancellationToken).WaitAsync(Loopback.Timeout, TestContext.Current.CancellationToken);
}
