using System.Net;
using System.Net.Sockets;

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
