using System.Net;
using System.Net.Sockets;

namespace EchoNet.Tests.Client;

/// <summary>
/// A test double of an echo server that writes one byte per send, with a pause between sends, so that a client reads
/// multi-byte characters in pieces. It serves one client: first <c>prefix</c>, then the echo of what it receives.
/// </summary>
internal sealed class OneBytePerWriteServer : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    public OneBytePerWriteServer(byte[]? prefix = null)
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(1);
        _serving = ServeOneAsync(prefix ?? [], _stop.Token);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    /// <summary>Completes when the client has been served, faulted if serving failed.</summary>
    public Task Served => _serving;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _serving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private static async Task SendByteByByteAsync(Socket client, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            await client.SendAsync(bytes.Slice(i, 1), SocketFlags.None, cancellationToken);

            // A pause between sends keeps the bytes in separate segments and separate reads.
            await Task.Delay(2, cancellationToken);
        }
    }

    private async Task ServeOneAsync(byte[] prefix, CancellationToken cancellationToken)
    {
        using Socket client = await _listener.AcceptAsync(cancellationToken);
        client.NoDelay = true;
        await SendByteByByteAsync(client, prefix, cancellationToken);
        byte[] buffer = new byte[1024];
        int received;
        while ((received = await client.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0)
        {
            await SendByteByByteAsync(client, buffer.AsMemory(0, received), cancellationToken);
        }

        client.Shutdown(SocketShutdown.Send);
    }
}
