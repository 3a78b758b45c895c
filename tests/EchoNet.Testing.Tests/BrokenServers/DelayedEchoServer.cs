using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace EchoNet.Testing.Tests.BrokenServers;

/// <summary>
/// A TCP echo server that echoes every chunk 100 ms after it arrived, and closes as soon as the client's FIN arrives:
/// whatever it still owes then is dropped. Every check but the half-close one passes against it.
/// </summary>
internal sealed class DelayedEchoServer : LoopbackTcpServer
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(100);

    public DelayedEchoServer() => Start();

    protected override async Task ServeAsync(Socket client, CancellationToken stop)
    {
        var owed = Channel.CreateUnbounded<(byte[] Bytes, long ArrivedAt)>();
        Task echoing = EchoLateAsync(client, owed.Reader, stop);
        byte[] buffer = new byte[16_384];
        try
        {
            int count;
            while ((count = await client.ReceiveAsync(buffer, SocketFlags.None, stop)) > 0)
            {
                owed.Writer.TryWrite((buffer[..count], Stopwatch.GetTimestamp()));
            }
        }
        finally
        {
            // The bug under test: on FIN, close at once instead of sending what is still owed.
            client.Close();
            owed.Writer.TryComplete();
            await echoing;
        }
    }

    private static async Task EchoLateAsync(Socket client, ChannelReader<(byte[] Bytes, long ArrivedAt)> owed, CancellationToken stop)
    {
        try
        {
            await foreach ((byte[] bytes, long arrivedAt) in owed.ReadAllAsync(stop))
            {
                TimeSpan wait = Delay - Stopwatch.GetElapsedTime(arrivedAt);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, stop);
                }

                await client.SendAsync(bytes, SocketFlags.None, stop);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Closed on FIN with echo still owed: the fault this server exists to show.
        }
    }
}
