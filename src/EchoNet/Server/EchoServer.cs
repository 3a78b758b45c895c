using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EchoNet.Diagnostics;
using EchoNet.Server;
using EchoNet.Server.Connections;
using EchoNet.Server.EventLoop;
using EchoNet.Server.Tcp;
using EchoNet.Server.Udp;
using EchoNet.Server.Unix;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EchoNet;

/// <summary>
/// An RFC 862 echo server, made by <see cref="EchoServerBuilder"/>. <see cref="Start"/> (or <see cref="StartAsync"/>)
/// binds at once (bind errors are thrown there) and serves in the background until
/// <see cref="StopAsync(CancellationToken)"/> or <see cref="DisposeAsync"/>; <see cref="RunAsync"/> does all three.
/// </summary>
public sealed class EchoServer : IAsyncDisposable
{
    private readonly EchoServerOptions _options;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private readonly ServerCounters _counters = new();
    private EchoMetrics? _metrics;
    private IEchoLoop[] _loops = [];
    private EchoBinding[] _bindings = [];
    private UnixSocketFile? _unixSocketFile;
    private bool _started;
    private Task? _stopping;
    private long _drainDeadline = long.MaxValue;
    private CancellationTokenSource? _drainCut;

    internal EchoServer(EchoServerOptions options)
    {
        _options = options;
        _logger = options.LoggerFactory?.CreateLogger("EchoNet.EchoServer") ?? NullLogger.Instance;
        _drainCut = new CancellationTokenSource(Timeout.InfiniteTimeSpan, options.TimeProvider);
    }

    /// <summary>Gets the transports this server serves.</summary>
    public EchoTransports Transports => _options.Transports;

    /// <summary>Gets the TCP (or Unix socket) concurrency model, or <see langword="null"/> for a UDP-only server.</summary>
    public EchoConcurrencyModel? Model => _options.Transports == EchoTransports.Udp ? null : _options.EffectiveModel;

    /// <summary>Gets the endpoint the server is bound to (the TCP one when it serves both), with the port actually taken.</summary>
    /// <exception cref="InvalidOperationException">The server has not been started, or it serves a Unix socket, which has no IP endpoint (read <see cref="Bindings"/>).</exception>
    public IPEndPoint LocalEndPoint => _bindings.Length == 0
        ? throw new InvalidOperationException("The server has not been started; call Start() first (Listen() does).")
        : _bindings[0].EndPoint as IPEndPoint
            ?? throw new InvalidOperationException($"The server listens on the Unix socket {_bindings[0].EndPoint}, which has no IP endpoint; read Bindings[0].EndPoint for it.");

    /// <summary>
    /// Gets every socket the server serves on, each with its transport: one per transport, on the same port, TCP first;
    /// or the one Unix socket.
    /// </summary>
    public IReadOnlyList<EchoBinding> Bindings => _bindings;

    /// <summary>Gets a snapshot of what the server has done since it started.</summary>
    public EchoServerStatistics Statistics => new()
    {
        ActiveConnections = _counters.ActiveConnections,
        AcceptedConnections = _counters.AcceptedConnections,
        RejectedConnections = _counters.RejectedTooManyConnections + _counters.RejectedTooManyFromSource,
        TimedOutConnections = _counters.ClosedIdle + _counters.ClosedStalled,
        TlsHandshakes = _counters.TlsHandshakes,
        TlsHandshakesFailed = _counters.TlsHandshakesFailed,
        BytesReceived = _counters.BytesReceived + _counters.DatagramBytesReceived,
        BytesSent = _counters.BytesSent + _counters.DatagramBytesSent,
        DatagramsReceived = _counters.DatagramsReceived,
        DatagramsSent = _counters.DatagramsSent,
        DatagramsDropped = _counters.DatagramsDropped.Total,
    };

    /// <summary>
    /// Gets a task that completes when the server has stopped, and faults with the error if a loop of the server
    /// failed (the server then stops its other loops).
    /// </summary>
    public Task Completion => _completion.Task;

    /// <summary>Binds the sockets and starts serving in the background.</summary>
    /// <exception cref="EchoBindException">A socket could not be bound; the message says why and what to do.</exception>
    /// <exception cref="InvalidOperationException">The server was already started.</exception>
    public void Start()
    {
        lock (_lock)
        {
            if (_started)
            {
                throw new InvalidOperationException("The server was already started. Build a new one to serve again.");
            }

            _started = true;
        }

        // The stream listener is TCP's, or the Unix socket's: the TCP models serve either.
        EchoTransports stream = _options.Transports == EchoTransports.Unix ? EchoTransports.Unix : EchoTransports.Tcp;
        (Socket? tcp, Socket? udp) = stream == EchoTransports.Unix ? BindUnixSocket() : SocketBinder.BindAll(_options, _logger);
        EndPoint bound = (tcp ?? udp)!.LocalEndPoint!;
        _metrics = new EchoMetrics(_options.MeterFactory, _counters, bound, Model?.ToString());
        int? maxConnections = DescriptorLimit.Fit(_options.MaxConnections, out long? descriptorLimit);
        if (tcp is not null && maxConnections is { } admitted && descriptorLimit is { } descriptors)
        {
            // The default is what the descriptor limit allows, which is no cause for a warning; a limit set above it is.
            if (_options.MaxConnections is null)
            {
                Log.ConnectionLimit(_logger, admitted, descriptors);
            }
            else if (admitted < _options.MaxConnections)
            {
                Log.MaxConnectionsLowered(_logger, admitted, descriptors);
            }
        }

        var context = new ServerContext(_options, _logger, _counters, _metrics, maxConnections);
        var loops = new List<IEchoLoop>(2);
        var bindings = new List<EchoBinding>(2);
        if (tcp is not null)
        {
            loops.Add(CreateTcpLoop(tcp, context));
            bindings.Add(new EchoBinding(stream, tcp.LocalEndPoint!));
        }

        if (udp is not null)
        {
            loops.Add(new UdpEchoLoop(udp, context));
            bindings.Add(new EchoBinding(EchoTransports.Udp, udp.LocalEndPoint!));
        }

        _loops = [.. loops];
        _bindings = [.. bindings];
        foreach (IEchoLoop loop in _loops)
        {
            loop.Start();
            _ = loop.Completion.ContinueWith(OnLoopEnded, loop, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        if (tcp is not null)
        {
            string model = _options.Tls is null ? _options.EffectiveModel.ToString() : $"{_options.EffectiveModel}, TLS";
            Log.ServerStarted(_logger, tcp.LocalEndPoint!, stream, model);
        }

        if (udp is not null)
        {
            Log.ServerStarted(_logger, udp.LocalEndPoint!, EchoTransports.Udp, "datagrams");
        }
    }

    /// <summary>Binds the sockets and starts serving in the background, as <see cref="Start"/> does.</summary>
    /// <param name="cancellationToken">Cancels the start before it binds.</param>
    /// <returns>A task that completes once the server is bound and serving; it faults with an <see cref="EchoBindException"/> if a socket could not be bound.</returns>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        try
        {
            Start();
            return Task.CompletedTask;
        }
        catch (Exception e) when (e is EchoBindException or InvalidOperationException)
        {
            return Task.FromException(e);
        }
    }

    /// <summary>
    /// Stops the server: stops accepting (the port is free again when this returns), lets open connections go on
    /// until their clients close or <paramref name="cancellationToken"/> fires, then closes what is left.
    /// </summary>
    /// <param name="cancellationToken">Ends the drain: the connections still open then are closed. None lets them finish.</param>
    /// <returns>A task that completes when every socket of the server is closed; it does not fault when the token fires.</returns>
    /// <remarks>
    /// The shape of <c>IHostedService.StopAsync</c>. Safe to call more than once and from several threads, with
    /// <see cref="StopAsync(TimeSpan)"/> too; every call waits for the same stop, and the first deadline to pass ends the drain.
    /// </remarks>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        Task stopping = StopAsync(Timeout.InfiniteTimeSpan);
        if (cancellationToken.CanBeCanceled && !stopping.IsCompleted)
        {
            CancellationTokenRegistration cut = cancellationToken.UnsafeRegister(static state => ((EchoServer)state!).CutDrain(), this);
            _ = stopping.ContinueWith(static (_, state) => ((IDisposable)state!).Dispose(), cut, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return stopping;
    }

    /// <summary>
    /// Serves until <paramref name="cancellationToken"/> fires (Ctrl+C, a host's stop), then stops with
    /// <see cref="EchoServerOptions.ShutdownTimeout"/> to drain: the whole life of a server in one call. Starts the
    /// server first unless it is started already.
    /// </summary>
    /// <param name="cancellationToken">Asks the server to stop.</param>
    /// <returns>A task that completes when the server has stopped; it faults if the server could not bind, or a loop of it failed.</returns>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        bool start;
        lock (_lock)
        {
            start = !_started;
        }

        if (start)
        {
            await StartAsync(cancellationToken).ConfigureAwait(false);
        }

        await Task.WhenAny(Completion, Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false);
        await StopAsync(_options.ShutdownTimeout).ConfigureAwait(false);
        await Completion.ConfigureAwait(false);
    }

    /// <summary>
    /// Stops the server: stops accepting (the port is free again when this returns), lets open connections go on
    /// until their clients close or <paramref name="drainTimeout"/> passes, then closes what is left.
    /// </summary>
    /// <param name="drainTimeout">How long open connections may go on; <see cref="TimeSpan.Zero"/> closes them at once.</param>
    /// <returns>A task that completes when every socket of the server is closed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="drainTimeout"/> is negative and not infinite.</exception>
    /// <remarks>
    /// Safe to call more than once and from several threads; every call waits for the same stop. A later call with a
    /// shorter drain shortens the drain under way (a host giving up on a graceful stop calls it with zero).
    /// </remarks>
    public Task StopAsync(TimeSpan drainTimeout)
    {
        if (drainTimeout < TimeSpan.Zero && drainTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(drainTimeout), drainTimeout, "The drain timeout must be zero or more, or Timeout.InfiniteTimeSpan.");
        }

        lock (_lock)
        {
            ShortenDrain(drainTimeout);
            if (_stopping is null)
            {
                _started = true;
                _stopping = StopCoreAsync(drainTimeout, _drainCut!.Token);
            }

            return _stopping;
        }
    }

    /// <summary>Stops the server as <see cref="StopAsync(TimeSpan)"/> does, with <see cref="EchoServerOptions.ShutdownTimeout"/> to drain.</summary>
    /// <returns>A task that completes when every socket of the server is closed.</returns>
    public async ValueTask DisposeAsync() => await StopAsync(_options.ShutdownTimeout).ConfigureAwait(false);

    private (Socket? Stream, Socket? Udp) BindUnixSocket()
    {
        (Socket listener, _unixSocketFile) = UnixSocketBinder.Bind(_options, _logger);
        return (listener, null);
    }

    /// <summary>Removes the server's socket file once nothing listens on it, unless another file has taken its path.</summary>
    private void RemoveUnixSocketFile()
    {
        if (_unixSocketFile is { } file && file.Remove() is { } reason)
        {
            Log.UnixSocketFileLeft(_logger, file.FullPath, reason);
        }
    }

    private IEchoLoop CreateTcpLoop(Socket listener, ServerContext context) => _options.EffectiveModel switch
    {
        EchoConcurrencyModel.Iterative => new IterativeTcpServer(listener, context),
        EchoConcurrencyModel.Select => new SelectTcpServer(listener, context),
        EchoConcurrencyModel.ThreadPerClient => new ThreadPerClientTcpServer(listener, context),
        EchoConcurrencyModel.EventLoop => new EventLoopTcpServer(listener, context),
        _ => new AsyncTcpServer(listener, context),
    };

    /// <summary>Ends the drain under way now.</summary>
    private void CutDrain()
    {
        lock (_lock)
        {
            ShortenDrain(TimeSpan.Zero);
        }
    }

    /// <summary>Moves the drain's deadline to <paramref name="drainTimeout"/> from now, if that is sooner. Called under the lock.</summary>
    private void ShortenDrain(TimeSpan drainTimeout)
    {
        TimeProvider time = _options.TimeProvider;
        long deadline = drainTimeout == Timeout.InfiniteTimeSpan ? long.MaxValue : time.GetTimestamp() + (long)(drainTimeout.TotalSeconds * time.TimestampFrequency);
        if (_drainCut is not null && deadline < _drainDeadline)
        {
            _drainDeadline = deadline;
            _drainCut.CancelAfter(drainTimeout);
        }
    }

    private async Task StopCoreAsync(TimeSpan drainTimeout, CancellationToken drainCut)
    {
        // Leave the caller's lock and thread before touching the loops.
        await Task.Yield();
        foreach (IEchoLoop loop in _loops)
        {
            loop.BeginStop();
        }

        EndPoint? endPoint = _bindings.Length > 0 ? _bindings[0].EndPoint : null;
        Log.ServerStopping(
            _logger,
            endPoint,
            Statistics.ActiveConnections,
            drainTimeout == Timeout.InfiniteTimeSpan ? "until their clients close them or the stop is cut short" : string.Create(CultureInfo.InvariantCulture, $"for up to {drainTimeout.TotalSeconds:0.###} s"));

        RemoveUnixSocketFile();

        Task all = Task.WhenAll(_loops.Select(static loop => loop.Completion));
        await Task.WhenAny(all, Task.Delay(Timeout.Infinite, drainCut)).ConfigureAwait(false);
        lock (_lock)
        {
            _drainCut!.Dispose();
            _drainCut = null;
        }

        int aborted = 0;
        if (!all.IsCompleted)
        {
            foreach (IEchoLoop loop in _loops)
            {
                aborted += loop.Abort();
            }
        }

        try
        {
            await all.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The loops' errors are the server's result, given to Completion below.
        catch
#pragma warning restore CA1031
        {
        }

        Log.ServerStopped(_logger, endPoint, aborted);
        _metrics?.Dispose();
        if (all.Exception is { } failure)
        {
            _completion.TrySetException(failure.InnerExceptions);
        }
        else
        {
            _completion.TrySetResult();
        }
    }

    private void OnLoopEnded(Task completion, object? state)
    {
        if (completion.IsFaulted)
        {
            EchoTransports transport = state is UdpEchoLoop ? EchoTransports.Udp : _options.Transports & ~EchoTransports.Udp;
            Exception error = completion.Exception!.InnerException!;
            Log.ServerFailed(_logger, transport, error);
            _ = StopAsync(TimeSpan.Zero);
        }
    }
}
