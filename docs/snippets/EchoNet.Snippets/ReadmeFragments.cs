using System.Net;
using System.Net.Sockets;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

using EchoNet.Testing;

using Xunit;

namespace EchoNet.Snippets;

/// <summary>The README snippets that are statements rather than whole programs, each the body of a method.</summary>
internal static class ReadmeFragments
{
    /// <summary>README.md, Samples: the client in code.</summary>
    public static async Task EchoClientAsync()
    {
        await using EchoClient client = await EchoClient.ConnectAsync("localhost", 7777);
        string back = await client.EchoAsync("hého");                 // TCP: exactly the bytes sent come back
        await using EchoUdpClient udp = await EchoUdpClient.ConnectAsync("localhost", 7777);
        string datagram = await udp.EchoAsync("one datagram");         // TimeoutException if no echo came after the retries
    }

    /// <summary>README.md, Unix domain sockets.</summary>
    public static async Task UnixSocketAsync()
    {
        await using EchoServer server = new EchoServerBuilder().UseSelect().ListenUnix("/tmp/echo.sock");
        await using EchoClient client = await EchoClient.ConnectUnixAsync("/tmp/echo.sock");
        string back = await client.EchoAsync("hého");
    }

    /// <summary>src/EchoNet.Testing/README.md: the checks against a Unix socket.</summary>
    public static async Task UnixConformanceAsync()
    {
        EchoConformanceReport report = await EchoConformance.RunAsync(new UnixDomainSocketEndPoint("/tmp/echo.sock"));
    }

    /// <summary>README.md, TLS: the server and the client.</summary>
    public static async Task TlsAsync()
    {
        X509Certificate2 certificate = EchoCertificates.Load("server.crt", "server.key");   // or a .pfx: Load("server.pfx", password: "…")
        await using EchoServer server = new EchoServerBuilder()
            .UseTls(certificate)               // the async model unless you chose thread-per-client or iterative
            .Listen(7443);

        await using EchoClient client = await EchoClient.ConnectAsync(
            "localhost", 7443, new SslClientAuthenticationOptions { TargetHost = "localhost" });
        string back = await client.EchoAsync("over TLS");   // client.TlsProtocol says which version was agreed
    }

    /// <summary>README.md, TLS: options of your own.</summary>
    public static EchoServer TlsOptions(X509Certificate2 certificate) =>
        new EchoServerBuilder()
            .UseTls(tls =>
            {
                tls.ServerCertificate = certificate;
                tls.EnabledSslProtocols = SslProtocols.Tls13;
            })
            .UseTlsHandshakeTimeout(TimeSpan.FromSeconds(2))
            .Build();

    /// <summary>README.md, The UDP guard.</summary>
    public static async Task UdpGuardAsync()
    {
        await using EchoServer server = new EchoServerBuilder()
            .UseUdp()
            .Configure(o =>
            {
                o.UdpGuard.PerSourceDatagramsPerSecond = 50;   // null: no limit per source
                o.UdpGuard.BlockedSourcePorts.Add(123);        // also ignore NTP's port
            })
            .Listen(7777);
    }

    /// <summary>src/EchoNet.Testing/README.md: the checks in a test.</summary>
    public static async Task ConformanceAsync(int port)
    {
        EchoConformanceReport report = await EchoConformance.RunAsync(
            new IPEndPoint(IPAddress.Loopback, port),
            new EchoConformanceOptions { Transports = EchoConformanceTransports.Both });
        Assert.True(report.Passed, report.ToString());   // the message lists every PASS/FAIL line
    }
}
