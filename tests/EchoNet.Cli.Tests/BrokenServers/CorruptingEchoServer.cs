using System.Net.Sockets;
using EchoNet.Testing.Tests.BrokenServers;

namespace EchoNet.Cli.Tests.BrokenServers;

/// <summary>A TCP echo server that flips one bit of every 1,000th byte it echoes: a load generator must notice.</summary>
internal sealed class CorruptingEchoServer : LoopbackTcpServer
{
    private const int CorruptEvery = 1_000;

    public CorruptingEchoServer() => Start();

    protected override async Task ServeAsync(Socket client, CancellationToken stop)
    {
        byte[] buffer = new byte[16_384];
        long position = 0;
        int count;
        while ((count = await client.ReceiveAsync(buffer, SocketFlags.None, stop)) > 0)
        {
            for (int i = 0; i < count; i++)
            {
                if ((position + i) % CorruptEvery == CorruptEvery - 1)
                {
                    buffer[i] ^= 0x01;
                }
            }

            position += count;
            await client.SendAsync(buffer.AsMemory(0, count), SocketFlags.None, stop);
        }
    }
}
