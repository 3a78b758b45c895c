using System.Net.Sockets;
using System.Runtime.CompilerServices;
using EchoNet.Diagnostics;
using EchoNet.Server.Connections;
using Microsoft.Extensions.Logging;

namespace EchoNet.Server.Tcp;

/// <summary>
/// Accepts clients on a listening socket, for every model: blocking, async, or from a readiness loop. A client that
/// aborts before it is accepted is skipped; running out of descriptors or buffers backs off (5 ms doubling up to a
/// second, on the server's clock) instead of spinning; after <see cref="Close"/> the accept methods return
/// <see langword="null"/>.
/// </summary>
internal sealed class Acceptor(Socket listener, ServerContext context)
{
    private readonly TimeProvider _time = context.Time;
    private readonly ILogger _logger = context.Logger;
    private volatile bool _closed;
    private AcceptBackoff _backoff;
    private long _pausedUntil = long.MinValue;

    /// <summary>Gets the listening socket, for a readiness loop's wait.</summary>
    public Socket Listener => listener;

    /// <summary>Gets how much longer a readiness loop must leave the listener out of its wait, after a failure that backs off.</summary>
    public TimeSpan PauseLeft
    {
        get
        {
            long now = _time.GetTimestamp();
            return now < _pausedUntil ? _time.GetElapsedTime(now, _pausedUntil) : TimeSpan.Zero;
        }
    }

    /// <summary>Blocks until a client arrives; <see langword="null"/> once the acceptor is closed.</summary>
    public Socket? Accept()
    {
        while (true)
        {
            try
            {
                Socket client = listener.Accept();
                _backoff.Reset();
                return client;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                if (DelayBeforeRetry(e) is not { } delay)
                {
                    return null;
                }

                if (delay > TimeSpan.Zero)
                {
                    // A dedicated accept thread: waiting on it blocks nothing else.
                    Task.Delay(delay, _time).Wait();
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
                _backoff.Reset();
                return client;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                if (DelayBeforeRetry(e) is not { } delay)
                {
                    return null;
                }

                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, _time).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>
    /// For a readiness loop, on a non-blocking listener: accepts one waiting client, or returns <see langword="null"/>
    /// when none is waiting, one aborted on the way, or the acceptor must back off (<see cref="PauseLeft"/> says how long).
    /// </summary>
    public Socket? TryAccept()
    {
        try
        {
            Socket client = listener.Accept();
            _backoff.Reset();
            return client;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
        {
            return null;
        }
        catch (SocketException e)
        {
            if (DelayBeforeRetry(e) is { } delay && delay > TimeSpan.Zero)
            {
                _pausedUntil = _time.GetTimestamp() + (long)(delay.TotalSeconds * _time.TimestampFrequency);
            }

            return null;
        }
    }

    /// <summary>Stops accepting: closes the listening socket, which frees the port.</summary>
    public void Close()
    {
        _closed = true;
        listener.Dispose();
    }

    /// <summary>How long to wait before accepting again, null when closed; rethrows an error that is not transient.</summary>
    private TimeSpan? DelayBeforeRetry(Exception error)
    {
        if (_closed)
        {
            return null;
        }

        SocketError code = error is SocketException socketError ? socketError.SocketErrorCode : SocketError.OperationAborted;
        switch (Classify(code))
        {
            case AcceptFailure.RetryNow:
                return TimeSpan.Zero;
            case AcceptFailure.BackOff:
                TimeSpan delay = _backoff.Next();
                Log.AcceptFailed(_logger, code, (int)delay.TotalMilliseconds);
                return delay;
            default:
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
                return null;
        }
    }

    /// <summary>What an accept error means for the accept loop.</summary>
    private static AcceptFailure Classify(SocketError error) => error switch
    {
        // The client went away between its handshake and our accept: nothing to do but take the next.
        SocketError.ConnectionAborted or SocketError.ConnectionReset or SocketError.Interrupted => AcceptFailure.RetryNow,

        // Out of descriptors or kernel memory: retrying at once would spin; wait for connections to close.
        SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable => AcceptFailure.BackOff,
        _ => AcceptFailure.Fatal,
    };
}
