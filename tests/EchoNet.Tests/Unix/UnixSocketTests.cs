using System.Diagnostics.Metrics;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using EchoNet.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace EchoNet.Tests.Unix;

/// <summary>What a Unix socket server is besides its echo: its options, binding, metrics, logs and client.</summary>
public sealed class UnixSocketTests
{
    [Fact]
    public async Task Bindings_LogsAndMetrics_NameTheTransportUnix()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        using var socketPath = new UnixSocketPath();
        var log = new LogRecorder();

        using ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        IMeterFactory meterFactory = services.GetRequiredService<IMeterFactory>();
        using var received = new MetricCollector<long>(meterFactory, "EchoNet", "echonet.server.bytes_received");
        await using EchoServer server = new EchoServerBuilder()
            .BindTo(socketPath.EndPoint).UseAsync().UseLoggerFactory(log).UseMeterFactory(meterFactory).Build();
        server.Start();

        using (Socket client = await socketPath.ConnectAsync(timeout.Token))
        {
            await Loopback.EchoToEndAsync(client, Loopback.RandomBytes(100, seed: 1), timeout.Token);
        }

        Assert.True(await Poll.UntilAsync(() => server.Statistics.BytesSent == 100, Loopback.Timeout, timeout.Token), "The echo was never counted.");
        EchoBinding binding = Assert.Single(server.Bindings);
        Assert.Equal(EchoTransports.Unix, binding.Transport);
        Assert.Equal($"{socketPath.Path} (Unix)", binding.ToString());
        Assert.Equal(EchoTransports.Unix, log.Last("ServerStarted").Values["Transport"]);
        received.RecordObservableInstruments();
        CollectedMeasurement<long> bytes = Assert.Single(received.GetMeasurementSnapshot(), m => m.Tags["network.transport"] is "unix");
        Assert.Equal(socketPath.Path, bytes.Tags["server.address"]);
        Assert.Equal(100, bytes.Value);
        Assert.Equal("Async", bytes.Tags["echonet.model"]);
        Assert.Throws<InvalidOperationException>(() => server.LocalEndPoint);
    }

    [Fact]
    public async Task SocketFile_ThatIsNoLongerTheServers_IsLeftInPlace_WithAWarning()
    {
        using var socketPath = new UnixSocketPath();
        var log = new LogRecorder();
        EchoServer server = new EchoServerBuilder().UseLoggerFactory(log).ListenUnix(socketPath.Path);
        File.Delete(socketPath.Path);
        await File.WriteAllTextAsync(socketPath.Path, "someone else's", TestContext.Current.CancellationToken);

        await server.StopAsync(TimeSpan.Zero).WaitAsync(Loopback.Timeout, TestContext.Current.CancellationToken);

        Assert.Equal("someone else's", await File.ReadAllTextAsync(socketPath.Path, TestContext.Current.CancellationToken));
        Assert.Equal(socketPath.Path, log.Last("UnixSocketFileLeft").Values["Path"]);
    }

    [Fact]
    public async Task EchoClient_ConnectsToAUnixSocket()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        using var socketPath = new UnixSocketPath();
        await using EchoServer server = new EchoServerBuilder().UseSelect().ListenUnix(socketPath.Path);

        await using EchoClient client = await EchoClient.ConnectUnixAsync(socketPath.Path, cancellationToken: timeout.Token);

        Assert.Equal("hého ✓", await client.EchoAsync("hého ✓", timeout.Token));
        Assert.Equal(socketPath.Path, client.RemoteEndPoint.ToString());
        Assert.Equal((socketPath.Path, 0), (client.Host, client.Port));
    }

    [Fact]
    public async Task EchoClient_ToAPathWithNoSocket_SaysSo()
    {
        using var socketPath = new UnixSocketPath();

        EchoConnectException error = await Assert.ThrowsAsync<EchoConnectException>(
            () => EchoClient.ConnectUnixAsync(socketPath.Path, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(EchoTransports.Unix, error.Transport);
        Assert.Equal($"Cannot connect to Unix socket {socketPath.Path}: there is no socket file at that path. Is an echo server running on it? Start one there, or check the path.", error.Message);
    }

    [Fact]
    public void TooLongPath_IsAnError_NamingTheLimit()
    {
        string path = "/tmp/" + new string('p', 120);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new EchoServerBuilder().ListenUnix(path));

        Assert.Equal(nameof(EchoServerOptions.UnixSocketPath), error.ParamName);
        Assert.Contains($"UnixSocketPath is 125 bytes long, and a Unix socket path holds at most {EchoServerOptions.MaxUnixSocketPathBytes}", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => EchoClient.ConnectUnixAsync(path, cancellationToken: TestContext.Current.CancellationToken).GetAwaiter().GetResult());
    }

    [Theory]
    [InlineData(nameof(EchoServerOptions.PortSharing))]
    [InlineData(nameof(EchoServerOptions.MaxConnectionsPerSource))]
    [InlineData(nameof(EchoServerOptions.Address))]
    [InlineData(nameof(EchoServerOptions.Transports))]
    public void OptionsAUnixSocketCannotHonour_AreErrorsAtBuild(string option)
    {
        EchoServerBuilder builder = new EchoServerBuilder().BindTo(new UnixDomainSocketEndPoint("/tmp/never-bound.sock"));
        _ = option switch
        {
            nameof(EchoServerOptions.PortSharing) => builder.UsePortSharing(),
            nameof(EchoServerOptions.MaxConnectionsPerSource) => builder.UseConnectionLimits(100, 2),
            nameof(EchoServerOptions.Address) => builder.BindTo(System.Net.IPAddress.Loopback),
            _ => builder.UseUdp(),
        };

        ArgumentException error = Assert.Throws<ArgumentException>(builder.Build);

        Assert.Equal(option, error.ParamName);
    }

    [Fact]
    public void TlsOverAUnixSocket_IsAnErrorAtBuild()
    {
        using X509Certificate2 certificate = EchoCertificates.CreateSelfSigned();
        EchoServerBuilder builder = new EchoServerBuilder().UseTls(certificate).BindTo(new UnixDomainSocketEndPoint("/tmp/never-bound.sock"));

        ArgumentException error = Assert.Throws<ArgumentException>(builder.Build);

        Assert.Equal(nameof(EchoServerOptions.Tls), error.ParamName);
        Assert.StartsWith("Tls is not served over a Unix socket", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnixSocketPath_WithoutTheUnixTransport_IsAnError()
    {
        var options = new EchoServerOptions { UnixSocketPath = "/tmp/e.sock" };

        ArgumentException error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(nameof(EchoServerOptions.UnixSocketPath), error.ParamName);
    }

    [Fact]
    public void DefaultsThatDoNotApply_AreIgnored()
    {
        using var socketPath = new UnixSocketPath();

        // The port and address reuse have defaults; with a Unix socket they mean nothing and are not errors.
        EchoServer server = new EchoServerBuilder().UsePort(7).UseAddressReuse().BindTo(socketPath.EndPoint).Build();

        Assert.Equal(EchoTransports.Unix, server.Transports);
    }
}
