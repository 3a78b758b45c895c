using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;

namespace EchoNet.Server.Tcp;

/// <summary>
/// A connection's one wait on the runtime's socket engine at a time (for data, or for room to send the rest of an echo),
/// awaited like the socket's own <c>ReceiveAsync</c> and <c>SendAsync</c> but ending in the <see cref="SocketError"/>
/// instead of a thrown <see cref="SocketException"/>: a peer's reset is how connections end, not a fault to unwind.
/// </summary>
/// <remarks>
/// It takes the place of the event args the socket would cache for its own awaitable calls, so an idle connection holds
/// about as much as before. Continuations run where the engine completes the wait, as the socket's own calls do.
/// </remarks>
internal sealed class SocketWait : SocketAsyncEventArgs, IValueTaskSource<SocketError>
{
    private ManualResetValueTaskSourceCore<SocketError> _source;

    public SocketWait()
        : base(unsafeSuppressExecutionContextFlow: true)
    {
    }

    /// <summary>Waits for data or the end of the stream without a buffer: a zero-byte receive.</summary>
    public ValueTask<SocketError> ReceiveAsync(Socket socket)
    {
        if (MemoryBuffer.Length != 0)
        {
            // Drop the last send's buffer: it goes back to the pool, and an idle connection holds none.
            SetBuffer(Memory<byte>.Empty);
        }

        _source.Reset();
        return socket.ReceiveAsync(this) ? new ValueTask<SocketError>(this, _source.Version) : new ValueTask<SocketError>(SocketError);
    }

    /// <summary>Sends all of <paramref name="bytes"/>, waiting for room as long as it takes.</summary>
    public ValueTask<SocketError> SendAsync(Socket socket, ReadOnlyMemory<byte> bytes)
    {
        SetBuffer(MemoryMarshal.AsMemory(bytes));
        _source.Reset();
        return socket.SendAsync(this) ? new ValueTask<SocketError>(this, _source.Version) : new ValueTask<SocketError>(SocketError);
    }

    SocketError IValueTaskSource<SocketError>.GetResult(short token) => _source.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<SocketError>.GetStatus(short token) => _source.GetStatus(token);

    void IValueTaskSource<SocketError>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _source.OnCompleted(continuation, state, token, flags);

    protected override void OnCompleted(SocketAsyncEventArgs e) => _source.SetResult(SocketError);
}
