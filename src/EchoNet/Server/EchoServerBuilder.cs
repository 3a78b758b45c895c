using System.Net;
using System.Net.Sockets;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace EchoNet;

/// <summary>
/// Builds an <see cref="EchoServer"/>. Every method returns the builder; <see cref="Build"/> validates the options
/// once and <see cref="Listen(int)"/> builds and starts. A builder builds one server.
/// </summary>
/// <example>
/// <code>
/// await using EchoServer server = new EchoServerBuilder().UseSelect().Listen(7777);
/// </code>
/// </example>
public sealed class EchoServerBuilder
{
    private readonly EchoServerOptions _options;
    private bool _transportChosen;
    private bool _built;

    /// <summary>Initializes a builder with the default options.</summary>
    public EchoServerBuilder()
    {
        _options = new EchoServerOptions();
    }

    /// <summary>Initializes a builder that starts from a copy of <paramref name="options"/>, such as options bound from configuration.</summary>
    /// <param name="options">The options to start from; later changes to them do not reach the builder.</param>
    public EchoServerBuilder(EchoServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Clone();

        // Options given whole already say which transports they want: UseTcp()/UseUdp() add to them.
        _transportChosen = true;
    }

    /// <summary>Serves TCP (the default). With <see cref="UseUdp"/> as well, both are served on one port.</summary>
    /// <returns>This builder.</returns>
    public EchoServerBuilder UseTcp() => AddTransport(EchoTransports.Tcp);

    /// <summary>Serves UDP: one answering datagram per datagram. With <see cref="UseTcp"/> as well, both are served on one port.</summary>
    /// <returns>This builder.</returns>
    public EchoServerBuilder UseUdp() => AddTransport(EchoTransports.Udp);

    /// <summary>Serves TCP clients one at a time on one thread (course §1.2).</summary>
    /// <returns>This builder.</returns>
    public EchoServerBuilder UseIterative() => UseModel(EchoConcurrencyModel.Iterative);

    /// <summary>Serves TCP clients on one thread with a <c>Socket.Select</c> readiness loop (course §2.1).</summary>
    /// <returns>This builder.</returns>
    public EchoServerBuilder UseSelect() => UseModel(EchoConcurrencyModel.Select);

    /// <summary>Serves each TCP client on a dedicated thread of its own (course §2.2).</summary>
    /// <returns>This builder.</returns>
    public EchoServerBuilder UseThreadPerClient() => UseModel(EchoConcurrencyModel.ThreadPerClient);

    /// <summary>Serves TCP clients with async/await on the thread pool (the portable model; the default off Linux on x64).</summary>
    /// <returns>This builder.</returns>
    public EchoServerBuilder UseAsync() => UseModel(EchoConcurrencyModel.Async);

    /// <summary>Serves TCP clients on EchoNet's own event loops, each a thread of its own (Linux on x64; the default there).</summary>
    /// <param name="loops">How many loops; <see langword="null"/> for one per core the process may run on.</param>
    /// <param name="backend">What the loops run on: io_uring where the kernel allows it, else epoll, unless one is forced.</param>
    /// <returns>This builder.</returns>
    public EchoServerBuilder UseEventLoop(int? loops = null, EchoEventLoopBackend backend = EchoEventLoopBackend.Automatic)
    {
        _options.EventLoops = loops;
        _options.EventLoopBackend = backend;
        return UseModel(EchoConcurrencyModel.EventLoop);
    }

    /// <summary>Sets the TCP concurrency model.</summary>
    /// <param name="model">The model.</param>
    /// <returns>This builder.</returns>
    public EchoServerBuilder UseModel(EchoConcurrencyModel model)
    {
        _options.Model = model;
        return this;
    }

    /// <summary>Binds to one local address instead of every interface.</summary>
    /// <param name="address">The address, such as <see cref="IPAddress.Loopback"/>.</param>
    /// <returns>This builder.</returns>
    public EchoServerBuilder BindTo(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        _options.Address = address;
        return this;
    }

    /// <summary>
    /// Serves a Unix domain socket at the endpoint's path instead of TCP or UDP: stream echo, with the concurrency model
    /// chosen as for TCP (see <see cref="EchoServerOptions.UnixSocketPath"/> for the socket file's life).
    /// </summary>
    /// <param name="endPoint">The socket's path, such as <c>new UnixDomainSocketEndPoint("/run/echo/echo.sock")</c>.</param>
    /// <returns>This builder.</returns>
    public EchoServerBuilder BindTo(UnixDomainSocketEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        return ServeUnixSocket(endPoint.ToString());
    }

    /// <summary>Sets the port that <see cref="Build"/> binds; 0 takes an ephemeral port.</summary>
    /// <param name="port">From 0 to 65535; checked by <see cref="Build"/>.</param>
    /// <returns>This builder.</returns>
    public EchoServerBuilder UsePort(int port)
    {
        _options.Port = port;
        return this;
    }

    /// <summary>Sets the listen backlog (the course's iterative server uses 1).</summary>
    /// <param name="backlog">At least 1; checked by <see cref="Build"/>.</param>
    /// <returns>This builder.</returns>
    public EchoServerBuilder UseBacklog(int backlog)
    {
        _options.Backlog = backlog;
        return this;
    }

    /// <summary>Sets how many bytes one TCP receive asks for (the course reads 1,500).</summary>
    /// <param name="readSize">From 1 to 1,048,576; checked by <see cref="Build"/>.</param>
    /// <returns>This builder.</returns>
    public EchoServerBuilder UseReadSize(int readSize)
    {
        _options.ReadSize = readSize;
        return this;
    }

    /// <summary>Sets whether <c>SO_REUSEADDR</c> (alone) is set before bind (see <see cref="EchoServerOptions.ReuseAddress"/>).</summary>
    /// <param name="reuse">Whether a restarted server may bind while its old connections are in TIME_WAIT; on by default.</param>
    /// <returns>This builder.</returns>
    public EchoServerBuilder UseAddressReuse(bool reuse = true)
    {
        _options.ReuseAddress = reuse;
        return this;
    }

    /// <summary>Lets several servers that all ask for it listen on one port (<c>SO_REUSEPORT</c>; see <see cref="EchoServerOptions.PortSharing"/>).</summary>
    /// <param name="share">Whether to share the port.</param>
    /// <returns>This builder.</returns>
    public EchoServerBuilder UsePortSharing(bool share = true)
    {
        _options.PortSharing = share;
        return this;
    }

    /// <summary>Sets the logger factory.</summary>
    /// <param name="loggerFactory">The factory the server's logger comes from.</param>
    /// <returns>This builder.</returns>
    public EchoServerBuilder UseLoggerFactory(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options.LoggerFactory = loggerFactory;
        return this;
    }

    /// <summary>Sets the clock the server reads time from (see <see cref="EchoServerOptions.TimeProvider"/>).</summary>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> unless a test moves time on itself.</param>
    /// <returns>This builder.</returns>
    public EchoServerBuilder UseTimeProvider(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options.TimeProvider = timeProvider;
        return this;
    }

    /// <summary>Limits the TCP connections open at once, in all and per source address; the next one is reset at once.</summary>
    /// <param name="maxConnections">At most this many in all, or <see langword="null"/> for as many as the descriptor limit allows.</param>
    /// <param name="maxConnectionsPerSource">At most this many from one address, or <see langword="null"/> for no limit.</param>
    /// <returns>This builder.</returns>
    public EchoServerBuilder UseConnectionLimits(int? maxConnections, int? maxConnectionsPerSource = null)
    {
        _options.MaxConnections = maxConnections;
        _options.MaxConnectionsPerSource = maxConnectionsPerSource;
        return this;
    }

    /// <summary>Closes TCP connections that receive nothing for <paramref name="idleTimeout"/>.</summary>
    /// <param name="idleTimeout">At least one second, or <see langword="null"/> for none.</param>
    /// <returns>This builder.</returns>
    public EchoServerBuilder UseIdleTimeout(TimeSpan? idleTimeout)
    {
        _options.IdleTimeout = idleTimeout;
        return this;
    }

    /// <summary>
    /// Serves TLS with <paramref name="certificate"/>: every TCP connection is a TLS session, its decrypted bytes echoed
    /// encrypted. Chooses the async model unless a model that can serve TLS is chosen (see <see cref="EchoServerOptions.Tls"/>).
    /// </summary>
    /// <param name="certificate">The server's certificate with its private key, such as one from <see cref="X509CertificateLoader.LoadPkcs12FromFile(string, string?, X509KeyStorageFlags, Pkcs12LoaderLimits?)"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="certificate"/> has no private key.</exception>
    public EchoServerBuilder UseTls(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException(
                $"The certificate {certificate.Subject} has no private key, and a server cannot authenticate without one. Load it with its key (X509Certificate2.CreateFromPemFile(certPath, keyPath), or a PKCS#12 file through X509CertificateLoader.LoadPkcs12FromFile).",
                nameof(certificate));
        }

        // The context is built once, not per handshake: the chain the server sends is worked out here.
        _options.Tls = new SslServerAuthenticationOptions { ServerCertificateContext = SslStreamCertificateContext.Create(certificate, null, offline: true) };
        return this;
    }

    /// <summary>Serves TLS with authentication options of your own (protocols, cipher policy, client certificates, a certificate per SNI name).</summary>
    /// <param name="configure">Sets the options, starting from empty ones; they must name a certificate (see <see cref="EchoServerOptions.Tls"/>).</param>
    /// <returns>This builder.</returns>
    public EchoServerBuilder UseTls(Action<SslServerAuthenticationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var tls = new SslServerAuthenticationOptions();
        configure(tls);
        _options.Tls = tls;
        return this;
    }

    /// <summary>Sets how long a TLS client has to finish its handshake (see <see cref="EchoServerOptions.TlsHandshakeTimeout"/>).</summary>
    /// <param name="timeout">At least one second; checked by <see cref="Build"/>.</param>
    /// <returns>This builder.</returns>
    public EchoServerBuilder UseTlsHandshakeTimeout(TimeSpan timeout)
    {
        _options.TlsHandshakeTimeout = timeout;
        return this;
    }

    /// <summary>Sets the meter factory the <c>EchoNet</c> meter is created from.</summary>
    /// <param name="meterFactory">The factory, usually the host's.</param>
    /// <returns>This builder.</returns>
    public EchoServerBuilder UseMeterFactory(System.Diagnostics.Metrics.IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _options.MeterFactory = meterFactory;
        return this;
    }

    /// <summary>Sets any option directly.</summary>
    /// <param name="configure">Changes the options; they are validated by <see cref="Build"/>.</param>
    /// <returns>This builder.</returns>
    public EchoServerBuilder Configure(Action<EchoServerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(_options);
        return this;
    }

    /// <summary>Validates the options and returns a server that is not started yet.</summary>
    /// <returns>The server; call <see cref="EchoServer.Start"/> to bind and serve.</returns>
    /// <exception cref="ArgumentException">An option is out of range or makes no sense; the parameter name is the option's.</exception>
    /// <exception cref="InvalidOperationException">This builder has already built a server.</exception>
    public EchoServer Build()
    {
        if (_built)
        {
            throw new InvalidOperationException("This builder has already built a server. Use a new EchoServerBuilder for another.");
        }

        EchoServerOptions options = _options.Clone();
        options.Validate();
        _built = true;
        return new EchoServer(options);
    }

    /// <summary>Builds a server on <paramref name="port"/> and starts it: when this returns, the socket is bound.</summary>
    /// <param name="port">The port; 0 takes an ephemeral one (see <see cref="EchoServer.LocalEndPoint"/>).</param>
    /// <returns>The running server.</returns>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="EchoBindException">The socket could not be bound; the message says why and what to do.</exception>
    public EchoServer Listen(int port)
    {
        EchoServer server = UsePort(port).Build();
        server.Start();
        return server;
    }

    /// <summary>
    /// Builds a server on the Unix domain socket <paramref name="path"/> and starts it: when this returns, the socket
    /// is listening. A stale socket file at the path is replaced; a live one is an error.
    /// </summary>
    /// <param name="path">The socket file, such as <c>/run/echo/echo.sock</c>; at most 107 bytes on Linux.</param>
    /// <returns>The running server.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or too long, or an option does not fit a Unix socket.</exception>
    /// <exception cref="EchoBindException">A server listens on the path already, or the path is not a socket file, or its folder is missing or not writable.</exception>
    public EchoServer ListenUnix(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        EchoServer server = ServeUnixSocket(path).Build();
        server.Start();
        return server;
    }

    /// <summary>The Unix socket replaces whatever transports were chosen: it is served alone.</summary>
    private EchoServerBuilder ServeUnixSocket(string path)
    {
        _options.UnixSocketPath = path;
        _options.Transports = EchoTransports.Unix;
        _transportChosen = true;
        return this;
    }

    private EchoServerBuilder AddTransport(EchoTransports transport)
    {
        // The first explicit choice replaces the default; later ones add to it.
        _options.Transports = _transportChosen ? _options.Transports | transport : transport;
        _transportChosen = true;
        return this;
    }
}
