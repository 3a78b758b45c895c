using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EchoNet.Hosting;

/// <summary>
/// The echo server of a host: bound in <see cref="StartAsync"/> (a bind error fails the host's start), drained in
/// <see cref="StopAsync"/> for <see cref="EchoServerOptions.ShutdownTimeout"/>. Resolve it to read <see cref="Server"/>.
/// </summary>
public sealed class EchoServerHostedService : IHostedService, IAsyncDisposable
{
    private readonly EchoServerOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly IMeterFactory? _meterFactory;

    /// <summary>Initializes the service from the host's options, logging and metrics.</summary>
    /// <param name="options">The validated options.</param>
    /// <param name="loggerFactory">The host's logger factory.</param>
    /// <param name="meterFactory">The host's meter factory, if it has one.</param>
    public EchoServerHostedService(IOptions<EchoServerOptions> options, ILoggerFactory loggerFactory, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _loggerFactory = loggerFactory;
        _meterFactory = meterFactory;
    }

    /// <summary>Gets the running server, or <see langword="null"/> before the host has started it.</summary>
    public EchoServer? Server { get; private set; }

    /// <summary>Binds and starts the server.</summary>
    /// <param name="cancellationToken">Cancels the start before the server binds.</param>
    /// <returns>A task that completes once the server is bound; it faults with <see cref="EchoBindException"/> (the message says why and what to do) if it could not bind.</returns>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        EchoServerBuilder builder = new EchoServerBuilder(_options).UseLoggerFactory(_loggerFactory);
        if (_meterFactory is not null)
        {
            builder.UseMeterFactory(_meterFactory);
        }

        EchoServer server = builder.Build();
        Server = server;
        return server.StartAsync(cancellationToken);
    }

    /// <summary>Stops accepting and lets open connections finish for the shutdown timeout, then closes the rest.</summary>
    /// <param name="cancellationToken">Ends the drain early when the host gives up on a graceful stop; the server then closes what is left.</param>
    /// <returns>A task that completes when the server's sockets are closed.</returns>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (Server is not { } server)
        {
            return Task.CompletedTask;
        }

        // Whichever ends first, the shutdown timeout or the host's patience, ends the drain.
        _ = server.StopAsync(_options.ShutdownTimeout);
        return server.StopAsync(cancellationToken);
    }

    /// <summary>Stops the server if the host did not.</summary>
    /// <returns>A task that completes when the server's sockets are closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Server is { } server)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
