using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace EchoNet.Testing.Tests.BrokenServers;

/// <summary>How <see cref="BrokenTlsEchoServer"/> breaks the echo while keeping the TLS itself correct.</summary>
internal enum TlsBreakage
{
    /// <summary>Flips one bit of every 1,000th byte before encrypting it: valid records, wrong content.</summary>
    Corrupts,

    /// <summary>Echoes the first 1,000 bytes of a connection, then ends the session with close_notify.</summary>
    Truncates,
}

/// <summary>A TLS echo server on 127.0.0.1 with a self-signed localhost certificate that breaks the echo as told: the checks must fail it.</summary>
internal sealed class BrokenTlsEchoServer : LoopbackTcpServer
{
    private const int Every = 1_000;
    private static readonly X509Certificate2 Certificate = EchoCertificates.CreateSelfSigned();
    private readonly TlsBreakage _breakage;

    public BrokenTlsEchoServer(TlsBreakage breakage)
    {
        _breakage = breakage;
        Start();
    }

    protected override async Task ServeAsync(Socket client, CancellationToken stop)
    {
        await using var tls = new SslStream(new NetworkStream(client, ownsSocket: false));
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = Certificate }, stop);
            byte[] buffer = new byte[16_384];
            long position = 0;
            int count;
            while ((count = await tls.ReadAsync(buffer, stop)) > 0)
            {
                if (_breakage == TlsBreakage.Truncates && position + count >= Every)
                {
                    await tls.WriteAsync(buffer.AsMemory(0, (int)(Every - position)), stop);
                    await tls.ShutdownAsync();
                    client.Shutdown(SocketShutdown.Send);

                    // Read on until the client goes: a close with its bytes unread would reset the connection, and
                    // the client's kernel would drop the truncated echo before the client read it.
                    while (await client.ReceiveAsync(buffer, SocketFlags.None, stop) > 0)
                    {
                    }

                    return;
                }

                for (int i = 0; i < count && _breakage == TlsBreakage.Corrupts; i++)
                {
                    if ((position + i) % Every == Every - 1)
                    {
                        buffer[i] ^= 0x01;
                    }
                }

                position += count;
                await tls.WriteAsync(buffer.AsMemory(0, count), stop);
            }
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
        {
            // The checker left, or its handshake failed: the next connection is served all the same.
        }
    }
}
