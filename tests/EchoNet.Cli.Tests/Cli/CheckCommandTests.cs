using System.Globalization;
using System.Net;
using EchoNet.Testing.Tests.BrokenServers;

namespace EchoNet.Cli.Tests.Cli;

/// <summary><c>echonet check</c> as a process: PASS or FAIL per check, and the exit code says which.</summary>
public sealed class CheckCommandTests
{
    [Fact]
    public async Task Check_BothTransports_AgainstEchoNetServer_PassesAndExitsZero()
    {
        await using EchoServer server = new EchoServerBuilder().UseTcp().UseUdp().BindTo(IPAddress.Loopback).Listen(0);
        string port = server.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture);

        (int exitCode, EchonetProcess check) = await EchonetProcess.RunAsync("check", "127.0.0.1", port, "--transport", "both");
        using (check)
        {
            Assert.True(exitCode == 0, $"exit {exitCode}; stdout: {check.Stdout} stderr: {check.Stderr}");
            Assert.Equal(11, check.Stdout.Split('\n').Count(line => line.StartsWith("PASS  ", StringComparison.Ordinal)));
            Assert.Contains("11 passed, 0 failed: conforms to RFC 862", check.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Check_Udp_AgainstTruncatingServer_PrintsFailWithReasonAndExitsOne()
    {
        await using var server = new TruncatingUdpEchoServer();
        string port = server.EndPoint.Port.ToString(CultureInfo.InvariantCulture);

        (int exitCode, EchonetProcess check) = await EchonetProcess.RunAsync("check", "127.0.0.1", port, "--udp");
        using (check)
        {
            Assert.Equal(1, exitCode);
            Assert.Matches(@"FAIL  udp\.datagram-8193 +a datagram of 8,193 bytes was answered with 1,024 bytes \(truncated\)", check.Stdout);
            Assert.Contains("2 passed, 3 failed: does NOT conform to RFC 862", check.Stdout, StringComparison.Ordinal);
        }
    }
}
