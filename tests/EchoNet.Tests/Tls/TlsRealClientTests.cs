using EchoNet.Tests.Support;

namespace EchoNet.Tests.Tls;

/// <summary>
/// EchoNet's TLS echo as TLS clients nobody here wrote see it: each verifies the server's certificate for localhost,
/// sends a payload and must get it back byte for byte.
/// </summary>
public sealed class TlsRealClientTests
{
    [Theory]
    [InlineData("openssl")]
    [InlineData("socat")]
    [InlineData("ncat")]
    [InlineData("python3")]
    public async Task RealTlsClient_GetsItsBytesBack(string client)
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = new EchoServerBuilder().UseTls(TestCertificates.Localhost).BindTo(System.Net.IPAddress.Loopback).Listen(0);
        string port = server.LocalEndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string ca = TestCertificates.CertificatePemPath;
        byte[] payload = Loopback.RandomBytes(64 * 1024, seed: 24);
        string[] arguments = client switch
        {
            "openssl" => ["s_client", "-connect", $"127.0.0.1:{port}", "-servername", "localhost", "-CAfile", ca, "-verify_hostname", "localhost", "-verify_return_error", "-quiet", "-no_ign_eof"],
            "socat" => ["-t", "5", "-", $"OPENSSL:127.0.0.1:{port},cafile={ca},commonname=localhost,snihost=localhost"],
            // By address, as the server listens on IPv4 only; the name to verify and send for SNI apart.
            "ncat" => ["--ssl", "--ssl-verify", "--ssl-trustfile", ca, "--ssl-servername", "localhost", "127.0.0.1", port],
            _ => ["-c", ExternalClient.PythonTlsClient, "127.0.0.1", port, ca],
        };

        // The Python client reads its whole input first; the others end their session at the end of their input, so
        // their input stays open until the echo is back.
        byte[] echo = await ExternalClient.RunAsync(client, arguments, payload, closeInputAfter: client == "python3" ? 0 : payload.Length, timeout.Token);

        Assert.Equal(payload.Length, echo.Length);
        Assert.Equal(payload, echo);
        Assert.True(await Poll.UntilAsync(() => server.Statistics.TlsHandshakes == 1 && server.Statistics.ActiveConnections == 0, Loopback.Timeout, timeout.Token), server.Statistics.ToString());
        Assert.Equal(0, server.Statistics.TlsHandshakesFailed);
    }
}
