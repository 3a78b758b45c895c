using System.Net;
using System.Net.Sockets;

namespace EchoNet.Testing.Tests.BrokenServers;

/// <summary>
/// What the deliberately broken TCP servers share: a listener on 127.0.0.1, port 0, and an accept loop that hands
/// each client to <see cref="ServeAsync"/>. Disposing stops the loop and waits, bounded, for every client to end.
/// </summary>
internal abstract class LoopbackTcpServer : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();
    private Task _accepting = Task.CompletedTask;

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _accepting.WaitAsync(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    /// <summary>Binds and starts accepting; called by the constructor of each broken server.</summary>
    protected void Start()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        _accepting = AcceptAsync();
    }

    /// <summary>Serves one client until it closes or <paramref name="stop"/> is cancelled; the caller disposes the socket.</summary>
    protected abstract Task ServeAsync(Socket client, CancellationToken stop);

    private async Task AcceptAsync()
    {
        var clients = new List<Task>();
        try
        {
            while (true)
            {
                Socket client = await _listener.AcceptAsync(_stop.Token);
                clients.Add(ServeAndCloseAsync(client));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Disposed: the accept loop's normal end.
        }

        await Task.WhenAll(clients);
    }

    private async Task ServeAndCloseAsync(Socket client)
    {
        using (client)
        {
            try
            {
                await ServeAsync(client, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The client left, or the server is being disposed.
            }
        }
    }
}
