using System.Net;
using System.Net.Sockets;

namespace EchoNet.Cli.Tests.BrokenServers;

/// <summary>A TCP echo server that flips one bit of every 1,000th byte it echoes: a load generator must notice.</summary>
internal sealed class CorruptingEchoServer : IAsyncDisposable
{
    private const int CorruptEvery = 1_000;
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public CorruptingEchoServer()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        _accepting = AcceptAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _accepting.WaitAsync(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var clients = new List<Task>();
        try
        {
            while (true)
            {
                Socket client = await _listener.AcceptAsync(_stop.Token);
                clients.Add(ServeAsync(client, _stop.Token));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(clients);
    }

    private static async Task ServeAsync(Socket client, CancellationToken stop)
    {
        using (client)
        {
            byte[] buffer = new byte[16_384];
            long position = 0;
            try
            {
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
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
            }
        }
    }
}
