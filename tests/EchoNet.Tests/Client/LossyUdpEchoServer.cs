using System.Net;
using System.Net.Sockets;

namespace EchoNet.Tests.Client;

/// <summary>
/// A test double of a UDP echo server that loses the first datagrams it receives (all of them with
/// <see cref="int.MaxValue"/>) and echoes the rest, counting every datagram.
/// </summary>
internal sealed class LossyUdpEchoServer : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private readonly SemaphoreSlim _arrivals = new(0);
    private int _received;

    public LossyUdpEchoServer(int lose)
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _serving = ServeAsync(lose, _stop.Token);
    }

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public int DatagramsReceived => Volatile.Read(ref _received);

    /// <summary>Waits until <paramref name="count"/> datagrams have arrived in all.</summary>
    public async Task WaitForDatagramsAsync(int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        for (int seen = 0; seen < count; seen++)
        {
            if (!await _arrivals.WaitAsync(timeout, cancellationToken))
            {
                throw new TimeoutException($"Only {DatagramsReceived} of {count} datagrams arrived within {timeout}.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _serving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        _arrivals.Dispose();
    }

    private async Task ServeAsync(int lose, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[65_536];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (true)
        {
            SocketReceiveFromResult result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken);
            int received = Interlocked.Increment(ref _received);
            _arrivals.Release();
            if (received > lose)
            {
                await _socket.SendToAsync(buffer.AsMemory(0, result.ReceivedBytes), SocketFlags.None, result.RemoteEndPoint, cancellationToken);
            }
        }
    }
}
