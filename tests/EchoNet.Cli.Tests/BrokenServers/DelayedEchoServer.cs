using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace EchoNet.Cli.Tests.BrokenServers;

/// <summary>
/// A TCP echo server that echoes every chunk 100 ms after it arrived, and closes as soon as the client's FIN arrives:
/// whatever it still owes then is dropped. Every check but the half-close one passes against it.
/// </summary>
internal sealed class DelayedEchoServer : IAsyncDisposable
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(100);
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public DelayedEchoServer()
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
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
            }

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
        }
    }
}
