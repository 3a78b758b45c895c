using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using EchoNet.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace EchoNet.Tests.Tls;

/// <summary>
/// TLS echo, written once for every model that serves it (TlsEchoTestsPerModel.cs): the echo is byte-exact and ends as
/// plaintext's does, and every way a handshake fails (plain text, no protocol in common, a client that rejects the
/// certificate, a client that never handshakes) is an ordinary close, counted and logged once, after which the server
/// serves the next client.
/// </summary>
public abstract class TlsEchoTests<TModel>
    where TModel : ITcpModel
{
    private static EchoServerBuilder TlsServer(LogRecorder? log = null)
    {
        EchoServerBuilder builder = TModel.Use(new EchoServerBuilder()).UseTls(TestCertificates.Localhost);
        return log is null ? builder : builder.UseLoggerFactory(log);
    }

    [Fact]
    public async Task Echo_IsByteExact_AndTheHandshakeIsCounted()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = TlsServer().Listen(0);
        byte[] payload = Loopback.RandomBytes(300_000, seed: 21);

        await using (EchoClient client = await ConnectAsync(server, timeout.Token))
        {
            Assert.Equal(payload, await client.EchoAsync(payload, timeout.Token));
            Assert.Equal("hého", await client.EchoAsync("hého", timeout.Token));
            Assert.NotNull(client.TlsProtocol);
        }

        Assert.Equal(TModel.Model, server.Model);
        Assert.Equal(1, server.Statistics.TlsHandshakes);
        Assert.Equal(0, server.Statistics.TlsHandshakesFailed);
        Assert.True(await Poll.UntilAsync(() => server.Statistics.BytesSent == payload.Length + 5, Loopback.Timeout, timeout.Token), server.Statistics.ToString());
    }

    [Fact]
    public async Task CloseNotify_EndsTheClientsInput_EverythingIsEchoed_ThenTheServerCloses()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = TlsServer().Listen(0);
        byte[] payload = Loopback.RandomBytes(100_000, seed: 22);
        await using EchoClient client = await ConnectAsync(server, timeout.Token);

        Task<byte[]> echo = ReceiveToEndAsync(client, timeout.Token);
        await client.SendAsync(payload, timeout.Token);
        await client.CompleteSendingAsync();

        Assert.Equal(payload, await echo);
        Assert.True(await Poll.UntilAsync(() => server.Statistics.ActiveConnections == 0, Loopback.Timeout, timeout.Token));
    }

    [Fact]
    public async Task PlainText_IsNeverEchoed_TheConnectionIsClosed_AndCountedAsAFailedHandshake()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        using var log = new LogRecorder();
        await using EchoServer server = TlsServer(log).Listen(0);
        byte[] plain = Encoding.ASCII.GetBytes("hello, is this an echo server?\r\n");

        using (Socket socket = await Loopback.ConnectAsync(server, timeout.Token))
        {
            await Loopback.SendAllAsync(socket, plain, timeout.Token);
            byte[] answer = await ReadUntilClosedAsync(socket, timeout.Token);
            Assert.True(answer.AsSpan().IndexOf(plain.AsSpan(0, 8)) < 0, "the plain text came back on the TLS port");
        }

        await AssertOneFailedHandshakeAsync(server, log, timeout.Token);
        await AssertServesAsync(server, timeout.Token);
    }

    [Fact]
    public async Task ClientThatRejectsTheCertificate_IsAFailedHandshake_AndTheServerGoesOn()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        using var log = new LogRecorder();
        await using EchoServer server = TlsServer(log).Listen(0);

        // openssl checks the certificate within the handshake and answers a failure with an alert; its trust store
        // knows nothing of a certificate made for this test.
        string port = server.LocalEndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        (int exitCode, byte[] output, string errors) = await ExternalClient.RunToExitAsync(
            "openssl", ["s_client", "-connect", $"127.0.0.1:{port}", "-servername", "localhost", "-verify_return_error", "-quiet"], [], 0, timeout.Token);
        Assert.True(exitCode != 0, $"openssl accepted the certificate: {errors}");
        Assert.Empty(output);

        await AssertOneFailedHandshakeAsync(server, log, timeout.Token);
        Assert.Contains("alert", log.Last("TlsHandshakeFailed").Message, StringComparison.OrdinalIgnoreCase);
        await AssertServesAsync(server, timeout.Token);
    }

    [Fact]
    public async Task EchoClient_RefusesAnUntrustedCertificate_WithAMessageNamingTheServer()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        using var log = new LogRecorder();
        await using EchoServer server = TlsServer(log).Listen(0);

        AuthenticationException refused = await Assert.ThrowsAsync<AuthenticationException>(() =>
            EchoClient.ConnectAsync("localhost", server.LocalEndPoint.Port, new SslClientAuthenticationOptions(), cancellationToken: timeout.Token));

        Assert.Contains($"localhost port {server.LocalEndPoint.Port}", refused.Message, StringComparison.Ordinal);
        await AssertServesAsync(server, timeout.Token);
        Assert.Empty(log.Errors);
    }

    [Fact]
    public async Task NoProtocolInCommon_IsAFailedHandshake_AndTheServerGoesOn()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        using var log = new LogRecorder();
        await using EchoServer server = TModel.Use(new EchoServerBuilder())
            .UseTls(tls =>
            {
                tls.ServerCertificate = TestCertificates.Localhost;
                tls.EnabledSslProtocols = SslProtocols.Tls13;
            })
            .UseLoggerFactory(log)
            .Listen(0);

        await Assert.ThrowsAsync<AuthenticationException>(() =>
            EchoClient.ConnectAsync("localhost", server.LocalEndPoint.Port, TestCertificates.TrustingClient(SslProtocols.Tls12), cancellationToken: timeout.Token));

        await AssertOneFailedHandshakeAsync(server, log, timeout.Token);
        await using EchoClient client = await ConnectAsync(server, timeout.Token);
        Assert.Equal(SslProtocols.Tls13, client.TlsProtocol);
    }

    [Fact]
    public async Task HandshakeTimeout_ClosesAClientThatNeverHandshakes_OnTheServersClock()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        using var log = new LogRecorder();
        var time = new FakeTimeProvider();
        await using EchoServer server = TlsServer(log).UseTimeProvider(time).UseTlsHandshakeTimeout(TimeSpan.FromSeconds(3)).Listen(0);

        using Socket silent = await Loopback.ConnectAsync(server, timeout.Token);
        Assert.True(await Poll.UntilAsync(() => server.Statistics.ActiveConnections == 1, Loopback.Timeout, timeout.Token));
        Task closed = Loopback.ServerClosedAsync(silent, timeout.Token);

        // Short of the timeout the client keeps its slot; past it the next sweep closes it.
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(await Task.WhenAny(closed, Task.Delay(TimeSpan.FromMilliseconds(200), timeout.Token)) == closed, "closed before the handshake timeout");
        while (!closed.IsCompleted && !timeout.IsCancellationRequested)
        {
            time.Advance(TimeSpan.FromMilliseconds(500));
            await Task.WhenAny(closed, Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token));
        }

        await closed;
        await AssertOneFailedHandshakeAsync(server, log, timeout.Token);
        Assert.Contains("handshake timeout", log.Last("TlsHandshakeFailed").Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Statistics.TimedOutConnections);
        await AssertServesAsync(server, timeout.Token);
    }

    [Fact]
    public async Task Stop_LetsATlsClientFinish_ThenCompletes()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        EchoServer server = TlsServer().Listen(0);
        await using EchoClient client = await ConnectAsync(server, timeout.Token);
        byte[] payload = Loopback.RandomBytes(10_000, seed: 23);
        Assert.Equal(payload, await client.EchoAsync(payload, timeout.Token));

        Task stopping = server.StopAsync(Loopback.Timeout);
        Assert.Equal(payload, await client.EchoAsync(payload, timeout.Token));
        Assert.False(stopping.IsCompleted, "the stop did not wait for the client");
        await client.CompleteSendingAsync();
        Assert.Empty(await ReceiveToEndAsync(client, timeout.Token));
        await stopping.WaitAsync(timeout.Token);
        Assert.Equal(0, server.Statistics.ActiveConnections);
    }

    private static Task<EchoClient> ConnectAsync(EchoServer server, CancellationToken cancellationToken) =>
        EchoClient.ConnectAsync("localhost", server.LocalEndPoint.Port, TestCertificates.TrustingClient(), cancellationToken: cancellationToken);

    private static async Task AssertServesAsync(EchoServer server, CancellationToken cancellationToken)
    {
        await using EchoClient client = await ConnectAsync(server, cancellationToken);
        Assert.Equal("still serving", await client.EchoAsync("still serving", cancellationToken));
    }

    private static async Task AssertOneFailedHandshakeAsync(EchoServer server, LogRecorder log, CancellationToken cancellationToken)
    {
        Assert.True(
            // The failure is counted before it is logged: wait for both.
            await Poll.UntilAsync(() => server.Statistics.TlsHandshakesFailed == 1 && log.Count("TlsHandshakeFailed") == 1, TimeSpan.FromSeconds(10), cancellationToken),
            $"{server.Statistics}; logged: {string.Join("; ", log.Entries.Select(e => $"{e.Id.Name}: {e.Message} {e.Exception?.GetType().Name}"))}");
        Assert.Equal(0, server.Statistics.TlsHandshakes);
        Assert.Equal(1, log.Count("TlsHandshakeFailed"));
        Assert.Equal(0, log.Count("ConnectionClosed") + log.Count("ConnectionReset"));
        Assert.Empty(log.Errors);
    }

    private static async Task<byte[]> ReceiveToEndAsync(EchoClient client, CancellationToken cancellationToken)
    {
        using var echo = new MemoryStream();
        byte[] buffer = new byte[65_536];
        while (await client.ReceiveAsync(buffer, cancellationToken) is > 0 and int count)
        {
            echo.Write(buffer, 0, count);
        }

        return echo.ToArray();
    }

    /// <summary>Reads what the server sends (a TLS alert at most) until it closes or resets the connection.</summary>
    private static async Task<byte[]> ReadUntilClosedAsync(Socket socket, CancellationToken cancellationToken)
    {
        using var received = new MemoryStream();
        byte[] buffer = new byte[4096];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken) is > 0 and int count)
            {
                received.Write(buffer, 0, count);
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            // A reset ends the connection as well as a close.
        }

        return received.ToArray();
    }
}
