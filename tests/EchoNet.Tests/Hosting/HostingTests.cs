using System.Net.Sockets;
using EchoNet.Hosting;
using EchoNet.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EchoNet.Tests.Hosting;

/// <summary>AddEchoServer in the Generic Host: options from configuration, validated and bound at start, drained at stop.</summary>
public sealed class HostingTests
{
    [Fact]
    public async Task Host_BindsFromConfiguration_Serves_AndStopsCleanly()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        using IHost host = TestHosts.Build(new() { ["EchoServer:Port"] = "0", ["EchoServer:Model"] = "Select", ["EchoServer:Transports"] = "Tcp, Udp" });

        await host.StartAsync(timeout.Token);
        EchoServer server = host.Services.GetRequiredService<EchoServerHostedService>().Server!;
        Assert.Equal(EchoConcurrencyModel.Select, server.Model);
        Assert.Equal(EchoTransports.Tcp | EchoTransports.Udp, server.Transports);
        using (Socket client = await Loopback.ConnectAsync(server, timeout.Token))
        {
            Assert.Equal("hosted"u8.ToArray(), await Loopback.EchoToEndAsync(client, "hosted"u8.ToArray(), timeout.Token));
        }

        await host.StopAsync(timeout.Token);
        Assert.True(server.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Host_WithAnOutOfRangePort_FailsToStart_NamingTheOption()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        using IHost host = TestHosts.Build(new() { ["EchoServer:Port"] = "70000" });

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(timeout.Token));

        Assert.Contains("EchoServer:Port", error.Message, StringComparison.Ordinal);
        Assert.Contains("65535", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_OnAPortInUse_FailsToStart_WithTheBindError()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer holder = new EchoServerBuilder().Listen(0);
        using IHost host = TestHosts.Build(new() { ["EchoServer:Port"] = holder.LocalEndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        EchoBindException error = await Assert.ThrowsAsync<EchoBindException>(() => host.StartAsync(timeout.Token));

        Assert.Equal(SocketError.AddressAlreadyInUse, error.SocketError);
    }

    [Fact]
    public async Task Host_StopWhileAClientIsConnected_ClosesItWithinTheShutdownTimeout()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        using IHost host = TestHosts.Build(new() { ["EchoServer:Port"] = "0", ["EchoServer:ShutdownTimeout"] = "00:00:00.200" });
        await host.StartAsync(timeout.Token);
        EchoServer server = host.Services.GetRequiredService<EchoServerHostedService>().Server!;
        using Socket idle = await Loopback.ConnectAsync(server, timeout.Token);
        await Loopback.SendAllAsync(idle, "x"u8.ToArray(), timeout.Token);
        Assert.Equal("x"u8.ToArray(), await Loopback.ReceiveExactlyAsync(idle, 1, timeout.Token));

        await host.StopAsync(timeout.Token);

        await Loopback.ServerClosedAsync(idle, timeout.Token);
        Assert.True(server.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Host_WithATlsCertificateInConfiguration_ServesTls()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        using IHost host = TestHosts.Build(new()
        {
            ["EchoServer:Port"] = "0",
            ["EchoServer:TlsCertificate:Path"] = TestCertificates.CertificatePemPath,
            ["EchoServer:TlsCertificate:KeyPath"] = TestCertificates.KeyPemPath,
        });

        await host.StartAsync(timeout.Token);
        EchoServer server = host.Services.GetRequiredService<EchoServerHostedService>().Server!;
        Assert.Equal(EchoConcurrencyModel.Async, server.Model);
        await using (EchoClient client = await EchoClient.ConnectAsync("localhost", server.LocalEndPoint.Port, TestCertificates.TrustingClient(), cancellationToken: timeout.Token))
        {
            Assert.Equal("hosted over TLS", await client.EchoAsync("hosted over TLS", timeout.Token));
        }

        await host.StopAsync(timeout.Token);
        Assert.Equal(1, server.Statistics.TlsHandshakes);
    }

    [Theory]
    [InlineData("Path", "/nonexistent/server.pem", "EchoServer:TlsCertificate:Path: The file '/nonexistent/server.pem' does not exist.")]
    [InlineData("KeyPath", "/nonexistent/server.key", "EchoServer:TlsCertificate:KeyPath: The file '/nonexistent/server.key' does not exist.")]
    [InlineData("Password", "wrong", "EchoServer:TlsCertificate:Path: Cannot read a certificate")]
    public async Task Host_WithABadTlsCertificateSetting_FailsToStart_NamingTheSetting(string setting, string value, string message)
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        var settings = new Dictionary<string, string?>
        {
            ["EchoServer:Port"] = "0",
            ["EchoServer:TlsCertificate:Path"] = TestCertificates.CertificatePemPath,
            ["EchoServer:TlsCertificate:KeyPath"] = TestCertificates.KeyPemPath,
        };
        settings[$"EchoServer:TlsCertificate:{setting}"] = value;
        using IHost host = TestHosts.Build(settings);

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(timeout.Token));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_WithTlsAndTheSelectModel_FailsToStart_NamingTheModelsThatCan()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        using IHost host = TestHosts.Build(new()
        {
            ["EchoServer:Port"] = "0",
            ["EchoServer:Model"] = "Select",
            ["EchoServer:TlsCertificate:Path"] = TestCertificates.CertificatePemPath,
            ["EchoServer:TlsCertificate:KeyPath"] = TestCertificates.KeyPemPath,
        });

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(timeout.Token));

        Assert.Contains("EchoServer:Model: Model Select cannot serve TLS", error.Message, StringComparison.Ordinal);
    }
}
