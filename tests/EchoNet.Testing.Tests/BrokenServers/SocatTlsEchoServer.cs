using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace EchoNet.Testing.Tests.BrokenServers;

/// <summary>
/// socat's TLS echo (<c>socat OPENSSL-LISTEN:PORT,fork EXEC:cat</c>) on 127.0.0.1 with a self-signed localhost
/// certificate: a TLS echo server nobody here wrote. socat cannot bind port 0 and say which it took, so a port is found
/// free by binding and closing a socket, and another is tried, a bounded number of times, if socat loses it meanwhile.
/// </summary>
internal sealed class SocatTlsEchoServer : IAsyncDisposable
{
    private const int Attempts = 5;
    private static readonly TimeSpan ListenBound = TimeSpan.FromSeconds(10);
    private readonly Process _process;
    private readonly string _directory;

    private SocatTlsEchoServer(Process process, int port, string directory)
    {
        _process = process;
        _directory = directory;
        EndPoint = new IPEndPoint(IPAddress.Loopback, port);
    }

    public IPEndPoint EndPoint { get; }

    public static async Task<SocatTlsEchoServer> StartAsync(CancellationToken cancellationToken)
    {
        string directory = Directory.CreateTempSubdirectory("echonet-socat-").FullName;
        using X509Certificate2 certificate = EchoCertificates.CreateSelfSigned();
        string certificatePath = Path.Combine(directory, "localhost.crt");
        string keyPath = Path.Combine(directory, "localhost.key");
        await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem(), cancellationToken);
        await File.WriteAllTextAsync(keyPath, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(), cancellationToken);

        for (int attempt = 1; ; attempt++)
        {
            int port = FreePort();
            var start = new ProcessStartInfo("socat") { UseShellExecute = false, RedirectStandardError = true };
            foreach (string argument in (string[])[$"OPENSSL-LISTEN:{port.ToString(CultureInfo.InvariantCulture)},bind=127.0.0.1,reuseaddr,fork,cert={certificatePath},key={keyPath},verify=0", "EXEC:cat"])
            {
                start.ArgumentList.Add(argument);
            }

            Process process = Process.Start(start) ?? throw new InvalidOperationException("socat did not start.");
            _ = process.StandardError.ReadToEndAsync(cancellationToken);
            if (await ListensAsync(process, port, cancellationToken))
            {
                return new SocatTlsEchoServer(process, port, directory);
            }

            Stop(process);
            if (attempt == Attempts)
            {
                throw new InvalidOperationException($"socat did not listen on any of {Attempts} free ports.");
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop(_process);
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>True once a connection to <paramref name="port"/> succeeds; false if socat exits first (the port was taken) or the bound passes.</summary>
    private static async Task<bool> ListensAsync(Process process, int port, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        while (!process.HasExited && Stopwatch.GetElapsedTime(started) < ListenBound)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(50, cancellationToken);
            }
        }

        return false;
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5_000);
        }

        process.Dispose();
    }
}
