using System.Net.Sockets;
using System.Runtime.CompilerServices;
using EchoNet.Diagnostics;
using Microsoft.Extensions.Logging;

namespace EchoNet.Server.Tcp;

/// <summary>
/// Accepts clients on a listening socket for the blocking and async models. A client that aborts before it is
/// accepted is skipped; running out of descriptors or buffers backs off (doubling up to a second) instead of
/// spinning; after <see cref="Close"/> the accept methods return <see langword="null"/>.
/// </summary>
internal sealed class Acceptor(Socket listener, ILogger logger)
{
    private const int FirstBackoffMs = 5;
    private const int MaxBackoffMs = 1000;

    private volatile bool _closed;
    private int _backoffMs;

    /// <summary>Blocks until a client arrives; <see langword="null"/> once the acceptor is closed.</summary>
    public Socket? Accept()
    {
        while (true)
        {
            try
            {
                Socket client = listener.Accept();
                _backoffMs = 0;
                return client;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                int delay = DelayBeforeRetry(e);
                if (delay < 0)
                {
                    return null;
                }

                if (delay > 0)
                {
                    Thread.Sleep(delay);
                }
            }
        }
    }

    /// <summary>Waits until a client arrives; <see langword="null"/> once the acceptor is closed.</summary>
    /// <remarks>
    /// Adds no allocation per client to what the runtime's accept makes: the listener's <see cref="ValueTask"/>
    /// accept reuses one operation, and this method's state machine is pooled.
    /// </remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<Socket?> AcceptAsync()
    {
        while (true)
        {
            try
            {
                Socket client = await listener.AcceptAsync(CancellationToken.None).ConfigureAwait(false);
                _backoffMs = 0;
                return client;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                int delay = DelayBeforeRetry(e);
                if (delay < 0)
                {
                    return null;
                }

                if (delay > 0)
                {
                    await Task.Delay(delay).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Stops accepting: closes the listening socket, which frees the port.</summary>
    public void Close()
    {
        _closed = true;
        listener.Dispose();
    }

    /// <summary>Milliseconds to wait before accepting again, -1 when closed; rethrows an error that is not transient.</summary>
    private int DelayBeforeRetry(Exception error)
    {
        if (_closed)
        {
            return -1;
        }

        SocketError code = error is SocketException socketError ? socketError.SocketErrorCode : SocketError.OperationAborted;
        switch (Classify(code))
        {
            case AcceptFailure.RetryNow:
                return 0;
            case AcceptFailure.BackOff:
                _backoffMs = NextBackoffMs(_backoffMs);
                Log.AcceptFailed(logger, code, _backoffMs);
                return _backoffMs;
            default:
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
                return -1;
        }
    }

    /// <summary>What an accept error means for the accept loop.</summary>
    public static AcceptFailure Classify(SocketError error) => error switch
    {
        // The client went away between its handshake and our accept: nothing to do but take the next.
        SocketError.ConnectionAborted or SocketError.ConnectionReset or SocketError.Interrupted => AcceptFailure.RetryNow,

        // Out of descriptors or kernel memory: retrying at once would spin; wait for connections to close.
        SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable => AcceptFailure.BackOff,
        _ => AcceptFailure.Fatal,
    };

    /// <summary>The next wait after an accept failure that needs one: doubling from 5 ms up to a second.</summary>
    public static int NextBackoffMs(int previousMs) => Math.Min(MaxBackoffMs, Math.Max(FirstBackoffMs, previousMs * 2));
}
