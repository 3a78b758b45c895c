using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using EchoNet.Testing.Tests.BrokenServers;

namespace EchoNet.Cli.Tests.Cli;

/// <summary>
/// TLS through the tool: <c>serve --tls-self-signed</c> and <c>--tls-cert</c>, and <c>check --tls</c> both ways round:
/// it passes socat's TLS echo and fails a TLS server that corrupts or truncates. Bad flag combinations are errors.
/// </summary>
public sealed class TlsCommandTests
{
    [Fact]
    public async Task ServeSelfSigned_PrintsTheFingerprint_AndCheckTlsInsecurePassesIt()
    {
        using EchonetProcess serve = EchonetProcess.Start("serve", "--port", "0", "--bind", "127.0.0.1", "--tls-self-signed");
        string listening = await serve.ReadLineStartingWithAsync("Listening on ", TestTimeouts.Step);
        Assert.Matches(@"^Listening on 127\.0\.0\.1:\d+ \(TCP, Async, TLS, certificate localhost SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}\)$", listening);
        string port = Port(listening);

        (int exitCode, EchonetProcess check) = await EchonetProcess.RunAsync("check", "127.0.0.1", port, "--tls", "--insecure");
        using (check)
        {
            Assert.True(exitCode == 0, $"exit {exitCode}; stdout: {check.Stdout} stderr: {check.Stderr}");
            Assert.Matches(@"PASS  tls\.handshake +Tls13, TLS_", check.Stdout);
            Assert.Contains("7 passed, 0 failed", check.Stdout, StringComparison.Ordinal);
        }

        // Verified by default: a self-signed certificate is refused, and every check says so.
        (exitCode, check) = await EchonetProcess.RunAsync("check", "127.0.0.1", port, "--tls");
        using (check)
        {
            Assert.Equal(1, exitCode);
            Assert.Contains("FAIL  tls.handshake", check.Stdout, StringComparison.Ordinal);
            Assert.Contains("UntrustedRoot", check.Stdout, StringComparison.Ordinal);
        }

        serve.Terminate();
        Assert.Equal(0, await serve.WaitForExitAsync(TestTimeouts.Step));
    }

    [Fact]
    public async Task ServeTlsCert_WithAPemKey_ServesThatCertificate()
    {
        string directory = Directory.CreateTempSubdirectory("echonet-cli-tls-").FullName;
        try
        {
            using X509Certificate2 certificate = EchoCertificates.CreateSelfSigned();
            string certificatePath = Path.Combine(directory, "server.crt");
            string keyPath = Path.Combine(directory, "server.key");
            await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem(), TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(keyPath, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(), TestContext.Current.CancellationToken);

            using EchonetProcess serve = EchonetProcess.Start("serve", "--port", "0", "--bind", "127.0.0.1", "--model", "thread-per-client", "--tls-cert", certificatePath, "--tls-key", keyPath);
            string listening = await serve.ReadLineStartingWithAsync("Listening on ", TestTimeouts.Step);
            Assert.EndsWith($"(TCP, ThreadPerClient, TLS, certificate localhost SHA-256 {EchoCertificates.Sha256Fingerprint(certificate)})", listening, StringComparison.Ordinal);

            (int exitCode, EchonetProcess check) = await EchonetProcess.RunAsync("check", "127.0.0.1", Port(listening), "--tls", "--insecure", "--tls-host", "localhost");
            using (check)
            {
                Assert.True(exitCode == 0, $"exit {exitCode}; stdout: {check.Stdout} stderr: {check.Stderr}");
            }

            serve.Terminate();
            Assert.Equal(0, await serve.WaitForExitAsync(TestTimeouts.Step));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task CheckTls_PassesSocatsTlsEcho()
    {
        await using SocatTlsEchoServer socat = await SocatTlsEchoServer.StartAsync(TestContext.Current.CancellationToken);

        (int exitCode, EchonetProcess check) = await EchonetProcess.RunAsync("check", "127.0.0.1", socat.EndPoint.Port.ToString(CultureInfo.InvariantCulture), "--tls", "--insecure", "--tls-host", "localhost");
        using (check)
        {
            Assert.True(exitCode == 0, $"exit {exitCode}; stdout: {check.Stdout} stderr: {check.Stderr}");
            Assert.Contains("7 passed, 0 failed: conforms to RFC 862", check.Stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(true, "came back as")]
    [InlineData(false, "the server closed the connection after echoing 1,000 of")]
    public async Task CheckTls_FailsABrokenTlsServer_WithTheReason(bool corrupts, string reason)
    {
        await using var server = new BrokenTlsEchoServer(corrupts ? TlsBreakage.Corrupts : TlsBreakage.Truncates);

        (int exitCode, EchonetProcess check) = await EchonetProcess.RunAsync("check", "127.0.0.1", server.EndPoint.Port.ToString(CultureInfo.InvariantCulture), "--tls", "--insecure");
        using (check)
        {
            Assert.Equal(1, exitCode);
            Assert.Contains("PASS  tls.handshake", check.Stdout, StringComparison.Ordinal);
            Assert.Contains(reason, check.Stdout, StringComparison.Ordinal);
            Assert.Contains("does NOT conform to RFC 862", check.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task BenchTls_AgainstEchoNetsTlsServer_VerifiesEveryEcho()
    {
        await using EchoServer server = new EchoServerBuilder().UseTls(EchoCertificates.CreateSelfSigned()).BindTo(System.Net.IPAddress.Loopback).Listen(0);
        string port = server.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture);

        (int exitCode, EchonetProcess bench) = await EchonetProcess.RunAsync("bench", "127.0.0.1", port, "--tls", "--insecure", "-c", "4", "-s", "512", "-d", "1", "-w", "0", "--json");
        using (bench)
        {
            Assert.True(exitCode == 0, $"exit {exitCode}; stdout: {bench.Stdout} stderr: {bench.Stderr}");
            Assert.Contains("\"mismatches\":0", bench.Stdout.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }

        Assert.Equal(4, server.Statistics.TlsHandshakes);
    }

    [Theory]
    [InlineData("--tls-self-signed|--model|select", "--model select cannot serve TLS")]
    [InlineData("--tls-self-signed|--model|eventloop", "--model eventloop cannot serve TLS")]
    [InlineData("--tls-self-signed|--transport|both", "TLS is served on TCP only")]
    [InlineData("--tls-self-signed|--tls-cert|x.pem", "give one or the other")]
    [InlineData("--tls-key|x.key", "--tls-key and --tls-password go with --tls-cert")]
    [InlineData("--tls-cert|/nonexistent/server.pem", "'/nonexistent/server.pem' does not exist")]
    public async Task Serve_BadTlsFlags_AreClearErrors(string flags, string message)
    {
        (int exitCode, EchonetProcess serve) = await EchonetProcess.RunAsync(["serve", "--port", "0", .. flags.Split('|')]);
        using (serve)
        {
            Assert.Equal(2, exitCode);
            Assert.Contains(message, serve.Stderr, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("check|127.0.0.1|7|--insecure", "--insecure skips the TLS certificate check; it needs --tls.")]
    [InlineData("check|127.0.0.1|7|--tls-host|example", "--tls-host names the TLS server; it needs --tls.")]
    [InlineData("check|127.0.0.1|7|--tls|--udp", "UDP has no TLS")]
    [InlineData("client|127.0.0.1|7|--tls|--udp", "UDP has no TLS")]
    [InlineData("bench|127.0.0.1|7|--tls|--udp", "UDP has no TLS")]
    [InlineData("bench|127.0.0.1|7|--tls|--rate|100", "does not speak TLS")]
    public async Task Client_BadTlsFlags_AreClearErrors(string arguments, string message)
    {
        (int exitCode, EchonetProcess process) = await EchonetProcess.RunAsync(arguments.Split('|'));
        using (process)
        {
            Assert.Equal(2, exitCode);
            Assert.Contains(message, process.Stderr, StringComparison.Ordinal);
        }
    }

    private static string Port(string listening) => listening.Split(' ')[2].Split(':')[^1];
}
