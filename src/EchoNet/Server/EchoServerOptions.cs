using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using EchoNet.Server.Udp;
using Microsoft.Extensions.Logging;

namespace EchoNet;

/// <summary>
/// Everything an <see cref="EchoServer"/> is built from. Set through <see cref="EchoServerBuilder"/>; the builder
/// validates the options once, in <see cref="EchoServerBuilder.Build"/>, and the server keeps its own copy.
/// </summary>
public sealed class EchoServerOptions
{
    /// <summary>The largest datagram payload over IPv6 (65,535 minus the 8-byte UDP header).</summary>
    internal const int MaxDatagramSize = 65_527;

    /// <summary>Gets or sets the transports served.</summary>
    /// <remarks>Defaults to <see cref="EchoTransports.Tcp"/>.</remarks>
    public EchoTransports Transports { get; set; } = EchoTransports.Tcp;

    /// <summary>Gets or sets the TCP concurrency model, or <see langword="null"/> for the default.</summary>
    /// <remarks>
    /// Defaults to <see langword="null"/>, which means <see cref="EchoConcurrencyModel.EventLoop"/> on Linux on x64 and
    /// <see cref="EchoConcurrencyModel.Async"/> elsewhere, and <see cref="EchoConcurrencyModel.Async"/> wherever
    /// <see cref="Tls"/> is set. Setting a model when only UDP is served is an error: UDP has one loop of its own; so is
    /// <see cref="EchoConcurrencyModel.EventLoop"/> where it is not available, and a model that cannot serve TLS
    /// (<see cref="EchoConcurrencyModel.Select"/>, <see cref="EchoConcurrencyModel.EventLoop"/>) with <see cref="Tls"/>.
    /// </remarks>
    public EchoConcurrencyModel? Model { get; set; }

    /// <summary>Gets or sets how many loops the <see cref="EchoConcurrencyModel.EventLoop"/> model runs, each on a thread of its own.</summary>
    /// <remarks>
    /// Defaults to <see langword="null"/>: <see cref="Environment.ProcessorCount"/>, which honours the process's CPU
    /// affinity (a server pinned to one core runs one loop). From 1 to 1,024.
    /// </remarks>
    public int? EventLoops { get; set; }

    /// <summary>Gets or sets what the <see cref="EchoConcurrencyModel.EventLoop"/> model's loops run on.</summary>
    /// <remarks>
    /// Defaults to <see cref="EchoEventLoopBackend.Automatic"/>: io_uring where the kernel allows it, else epoll.
    /// Setting another backend with a model other than the event loop is an error.
    /// </remarks>
    public EchoEventLoopBackend EventLoopBackend { get; set; }

    /// <summary>Gets or sets the local address to bind, or <see langword="null"/> for every interface.</summary>
    /// <remarks>
    /// Defaults to <see langword="null"/>: an IPv6 dual-stack socket on <see cref="IPAddress.IPv6Any"/> that also
    /// takes IPv4 clients, or <see cref="IPAddress.Any"/> where the host has no IPv6.
    /// </remarks>
    public IPAddress? Address { get; set; }

    /// <summary>Gets or sets the port to bind; 0 takes an ephemeral port (read it from <see cref="EchoServer.LocalEndPoint"/>).</summary>
    /// <remarks>Defaults to 7777. Valid from 0 to 65535.</remarks>
    public int Port { get; set; } = 7777;

    /// <summary>
    /// Gets or sets the path of the Unix domain socket served when <see cref="Transports"/> is
    /// <see cref="EchoTransports.Unix"/>, such as <c>/run/echo/echo.sock</c>.
    /// </summary>
    /// <remarks>
    /// Defaults to <see langword="null"/>. At most 107 bytes of UTF-8 on Linux (103 on macOS): the kernel's
    /// <c>sun_path</c> holds 108 with the terminating NUL, so a path deep in a temporary folder may not fit. At start, a
    /// socket file at the path that nobody listens on (left by a server that died) is replaced; one a server listens on,
    /// or a file that is not a socket, is an <see cref="EchoBindException"/>. The file is removed when the server
    /// stops, if it is still the one the server made. With a Unix socket, <see cref="Port"/> and
    /// <see cref="ReuseAddress"/> do not apply and are ignored; <see cref="Address"/>, <see cref="PortSharing"/> and
    /// <see cref="MaxConnectionsPerSource"/> cannot be honoured and are errors.
    /// </remarks>
    public string? UnixSocketPath { get; set; }

    /// <summary>
    /// Gets or sets whether <c>SO_REUSEADDR</c> is set before bind, so a restarted server can bind its port while
    /// connections of the previous one linger in TIME_WAIT.
    /// </summary>
    /// <remarks>
    /// Defaults to <see langword="true"/>. Only <c>SO_REUSEADDR</c> is set: unlike
    /// <see cref="System.Net.Sockets.SocketOptionName.ReuseAddress"/> on Linux, it never lets a second live server
    /// share the port (that is <see cref="PortSharing"/>). Ignored on Windows, where the option would allow that.
    /// </remarks>
    public bool ReuseAddress { get; set; } = true;

    /// <summary>
    /// Gets or sets whether <c>SO_REUSEPORT</c> is set, so several servers (processes) that all ask for it may listen
    /// on one port and share its clients.
    /// </summary>
    /// <remarks>Defaults to <see langword="false"/>: a second server on the port fails with <see cref="EchoBindException"/>. Linux and macOS only.</remarks>
    public bool PortSharing { get; set; }

    /// <summary>Gets or sets the length of the queue of connections waiting to be accepted.</summary>
    /// <remarks>Defaults to 512. The course's iterative server uses 1. At least 1.</remarks>
    public int Backlog { get; set; } = 512;

    /// <summary>Gets or sets how many bytes one receive asks for on a TCP connection.</summary>
    /// <remarks>
    /// Defaults to 65,536. Chosen by measurement (bench/ratios.sh, 64 KiB messages pipelined): 1,500 bytes, the course's
    /// read of one Ethernet frame, moved 0.05× what the C reference did; 16,384 moved 0.36×; 65,536 moved 0.91× in the
    /// select model, with no change for small messages. The buffer is pooled in the async model (held only while data
    /// flows), shared in the select model, and on the thread's stack in the blocking models, where only the bytes
    /// actually received touch memory. From 1 to 1,048,576. UDP always reads whole datagrams, whatever this says.
    /// </remarks>
    public int ReadSize { get; set; } = 65_536;

    /// <summary>
    /// Gets or sets how many received bytes a connection may owe its client (received, not yet sent back) before the
    /// server stops reading from it until the client reads.
    /// </summary>
    /// <remarks>
    /// Defaults to 131,072. This is what bounds the memory a client that sends without reading can cost. The blocking and
    /// async models owe at most one read (<see cref="ReadSize"/>) at a time; the select model queues up to this many.
    /// At least <see cref="ReadSize"/>.
    /// </remarks>
    public int MaxOwedBytes { get; set; } = 131_072;

    /// <summary>Gets or sets how many TCP connections may be open at once; the next one is closed at once and counted.</summary>
    /// <remarks>
    /// Defaults to <see langword="null"/>: as many as the process's descriptor limit allows, which is the soft
    /// <c>ulimit -n</c> less the descriptors open when the server starts and 32 more that it keeps for the runtime (a
    /// process out of descriptors can fail anywhere, not only in accept), and no limit where the system has none. With a
    /// soft limit of 1,024, a common default, and 60 descriptors open, that is 932, and the server says so at start
    /// (event 6, Information). A value set here is honoured up to the same
    /// bound; a value above it is lowered, with a warning (event 5): raise the descriptor limit to serve more.
    /// </remarks>
    public int? MaxConnections { get; set; }

    /// <summary>Gets or sets how many TCP connections one source address may have open at once.</summary>
    /// <remarks>
    /// Defaults to <see langword="null"/> (no limit per source), since load tests and NAT put many clients behind one
    /// address; set it for a server on the open internet. IPv4-mapped IPv6 sources count as their IPv4 address.
    /// </remarks>
    public int? MaxConnectionsPerSource { get; set; }

    /// <summary>Gets or sets how long a TCP connection may go without receiving a byte before the server closes it.</summary>
    /// <remarks>Defaults to <see langword="null"/> (no idle timeout), as the course's servers have none. At least one second.</remarks>
    public TimeSpan? IdleTimeout { get; set; }

    /// <summary>
    /// Gets or sets how long a client may leave its echo unread (the server cannot send, and has stopped reading it)
    /// before the server closes the connection. Each read's echo (at most <see cref="ReadSize"/> bytes) must be taken
    /// within this time: a client that reads a trickle to keep the connection alive is closed too.
    /// </summary>
    /// <remarks>Defaults to 60 seconds. <see langword="null"/> lets a client that never reads hold its connection forever. At least one second.</remarks>
    public TimeSpan? SendStallTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Gets or sets how the server authenticates itself over TLS, or <see langword="null"/> to serve plain TCP. Set, every
    /// TCP connection is a TLS session: a handshake, then the echo of the decrypted bytes, encrypted.
    /// </summary>
    /// <remarks>
    /// Defaults to <see langword="null"/>. The options must name a certificate with its private key
    /// (<see cref="SslServerAuthenticationOptions.ServerCertificate"/>,
    /// <see cref="SslServerAuthenticationOptions.ServerCertificateContext"/> or
    /// <see cref="SslServerAuthenticationOptions.ServerCertificateSelectionCallback"/>); every connection's handshake uses
    /// them, so do not change them once the server is built. TLS is served by the models that keep a stream per
    /// connection: <see cref="EchoConcurrencyModel.Async"/> (chosen when <see cref="Model"/> is unset),
    /// <see cref="EchoConcurrencyModel.ThreadPerClient"/> and <see cref="EchoConcurrencyModel.Iterative"/>; on TCP only
    /// (UDP on the same port would echo in plain text). Load certificates with
    /// <see cref="System.Security.Cryptography.X509Certificates.X509CertificateLoader"/> or
    /// <see cref="System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(string, string?)"/>.
    /// </remarks>
    public SslServerAuthenticationOptions? Tls { get; set; }

    /// <summary>
    /// Gets or sets how long a client has, from its admission, to finish the TLS handshake; a connection that has not is
    /// closed and counted as a failed handshake, so clients that connect and never handshake cannot hold a connection slot
    /// or a thread.
    /// </summary>
    /// <remarks>Defaults to 5 seconds. At least one second. Read only when <see cref="Tls"/> is set; checked by the server's clock (<see cref="TimeProvider"/>).</remarks>
    public TimeSpan TlsHandshakeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the guard of the UDP server against reflection and loop attacks.</summary>
    /// <remarks>Defaults to a guard that is on; see <see cref="UdpGuardOptions"/> for what it checks.</remarks>
    public UdpGuardOptions UdpGuard { get; set; } = new();

    /// <summary>Gets or sets how long <see cref="EchoServer.DisposeAsync"/> lets open connections finish before it closes them.</summary>
    /// <remarks>Defaults to 5 seconds. Zero or more, or <see cref="Timeout.InfiniteTimeSpan"/>.</remarks>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the clock the server reads time from: its idle and send-stall timeouts and their checks.</summary>
    /// <remarks>
    /// Defaults to <see cref="TimeProvider.System"/>. Tests pass a fake clock (such as <c>FakeTimeProvider</c>) to move
    /// time on instead of waiting for it.
    /// </remarks>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the logger factory, or <see langword="null"/> for no logging.</summary>
    /// <remarks>Defaults to <see langword="null"/>. Payload bytes are never logged.</remarks>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Gets or sets the meter factory the <c>EchoNet</c> meter is created from, or <see langword="null"/> for a meter of the server's own.</summary>
    /// <remarks>Defaults to <see langword="null"/>. With dependency injection, pass the host's <see cref="System.Diagnostics.Metrics.IMeterFactory"/>.</remarks>
    public System.Diagnostics.Metrics.IMeterFactory? MeterFactory { get; set; }

    /// <summary>Gets the longest <see cref="UnixSocketPath"/> this system takes, in bytes of UTF-8.</summary>
    /// <value>107 on Linux and Windows, 103 on macOS and the BSDs: the kernel's <c>sun_path</c> less its terminating NUL.</value>
    public static int MaxUnixSocketPathBytes => OperatingSystem.IsLinux() || OperatingSystem.IsWindows() ? 107 : 103;

    /// <summary>Gets or sets how the server learns whether the kernel allows io_uring; tests stand in for a kernel that refuses it.</summary>
    internal Func<Server.EventLoop.IoUringAvailability> IoUringProbe { get; set; } = Server.EventLoop.IoUringAvailability.OfThisProcess;

    internal EchoConcurrencyModel EffectiveModel => Model ?? (Interop.Linux.IsSupported && Tls is null ? EchoConcurrencyModel.EventLoop : EchoConcurrencyModel.Async);

    internal EchoServerOptions Clone()
    {
        var clone = (EchoServerOptions)MemberwiseClone();
        clone.UdpGuard = UdpGuard.Clone();
        return clone;
    }

    /// <summary>
    /// Checks every option, as <see cref="EchoServerBuilder.Build"/> does: the one place the rules live, for a host that
    /// binds options from configuration and wants to fail at start with the same message.
    /// </summary>
    /// <exception cref="ArgumentException">An option is out of range or missing; <see cref="ArgumentException.ParamName"/> names it, and the message says what it must be.</exception>
    /// <exception cref="PlatformNotSupportedException"><see cref="PortSharing"/> is set on a platform that has no <c>SO_REUSEPORT</c>, or <see cref="EventLoopBackend"/> is <see cref="EchoEventLoopBackend.IoUring"/> and the kernel refuses io_uring.</exception>
    public void Validate()
    {
        if (Transports == EchoTransports.None || (Transports & ~(EchoTransports.Tcp | EchoTransports.Udp | EchoTransports.Unix)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Transports), Transports, "Transports must be Tcp, Udp, both, or Unix (UseTcp(), UseUdp(), ListenUnix()).");
        }

        ValidateUnixSocket();

        if (Model is { } model && !Enum.IsDefined(model))
        {
            throw new ArgumentOutOfRangeException(nameof(Model), model, "Model is not a known concurrency model.");
        }

        if (Model == EchoConcurrencyModel.EventLoop && !Interop.Linux.IsSupported)
        {
            throw new ArgumentException(
                $"Model EventLoop needs Linux on x64, and this is {System.Runtime.InteropServices.RuntimeInformation.OSDescription} on {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}. Choose Async (the portable default here), Select, ThreadPerClient or Iterative.",
                nameof(Model));
        }

        if (EventLoops is < 1 or > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(EventLoops), EventLoops, "EventLoops must be from 1 to 1,024, or null for one per core.");
        }

        if (!Enum.IsDefined(EventLoopBackend))
        {
            throw new ArgumentOutOfRangeException(nameof(EventLoopBackend), EventLoopBackend, "EventLoopBackend must be Automatic, IoUring or Epoll.");
        }

        if (EventLoopBackend != EchoEventLoopBackend.Automatic && (EffectiveModel != EchoConcurrencyModel.EventLoop || Transports == EchoTransports.Udp))
        {
            throw new ArgumentException(
                $"EventLoopBackend {EventLoopBackend} applies to the EventLoop model, and this server's TCP model is {(Transports == EchoTransports.Udp ? "none (UDP only)" : EffectiveModel.ToString())}. Choose UseEventLoop(), or leave the backend Automatic.",
                nameof(EventLoopBackend));
        }

        if (EventLoopBackend == EchoEventLoopBackend.IoUring && IoUringProbe() is { IsAvailable: false } refused)
        {
            throw new PlatformNotSupportedException(
                $"EventLoopBackend IoUring was asked for, but {refused.Reason}. Leave the backend Automatic to run on epoll where io_uring is refused, or choose Epoll.");
        }

        if (Model is not null && (Transports & (EchoTransports.Tcp | EchoTransports.Unix)) == 0)
        {
            throw new ArgumentException(
                $"Model {Model} applies to TCP, but only UDP is served. Add UseTcp(), or leave the model unset for a UDP-only server.",
                nameof(Model));
        }

        ValidateTls();

        if (Port is < IPEndPoint.MinPort or > IPEndPoint.MaxPort)
        {
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "Port must be from 0 (ephemeral) to 65535.");
        }

        if (Backlog < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Backlog), Backlog, "Backlog must be at least 1.");
        }

        if (ReadSize is < 1 or > 1_048_576)
        {
            throw new ArgumentOutOfRangeException(nameof(ReadSize), ReadSize, "ReadSize must be from 1 to 1,048,576 bytes.");
        }

        if (MaxOwedBytes < ReadSize)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxOwedBytes), MaxOwedBytes, $"MaxOwedBytes must be at least ReadSize ({ReadSize}).");
        }

        if (MaxConnections is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxConnections), MaxConnections, "MaxConnections must be at least 1, or null for as many as the descriptor limit allows.");
        }

        if (MaxConnectionsPerSource is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxConnectionsPerSource), MaxConnectionsPerSource, "MaxConnectionsPerSource must be at least 1, or null for no limit.");
        }

        if (IdleTimeout is { } idle && idle < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(IdleTimeout), idle, "IdleTimeout must be at least one second, or null for none.");
        }

        if (SendStallTimeout is { } stall && stall < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(SendStallTimeout), stall, "SendStallTimeout must be at least one second, or null for none.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        ArgumentNullException.ThrowIfNull(UdpGuard, nameof(UdpGuard));
        UdpGuard.Validate();

        if (ShutdownTimeout < TimeSpan.Zero && ShutdownTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(ShutdownTimeout), ShutdownTimeout, "ShutdownTimeout must be zero or more, or Timeout.InfiniteTimeSpan.");
        }

        if (PortSharing && OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("PortSharing (SO_REUSEPORT) is available on Linux and macOS only.");
        }
    }

    /// <summary>
    /// The rules of a Unix socket server. What does not apply and has a default (the port, address reuse) is ignored;
    /// what a user sets on purpose and a Unix socket cannot honour is an error, so nobody believes it is in force.
    /// </summary>
    private void ValidateUnixSocket()
    {
        if (!Transports.HasFlag(EchoTransports.Unix))
        {
            if (UnixSocketPath is not null)
            {
                throw new ArgumentException(
                    $"UnixSocketPath is set, but Transports is {Transports}: set Transports to Unix to serve the socket (ListenUnix() and BindTo(UnixDomainSocketEndPoint) do), or leave UnixSocketPath unset.",
                    nameof(UnixSocketPath));
            }

            return;
        }

        if (Transports != EchoTransports.Unix)
        {
            throw new ArgumentException(
                $"Transports {Transports}: a Unix socket is served alone, not with TCP or UDP in the same server. Build a second server for the TCP or UDP port.",
                nameof(Transports));
        }

        if (string.IsNullOrEmpty(UnixSocketPath))
        {
            throw new ArgumentException("UnixSocketPath must name the socket file to serve, such as /run/echo/echo.sock.", nameof(UnixSocketPath));
        }

        if (UnixSocketPath[0] == '\0' || UnixSocketPath.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("UnixSocketPath must be a file system path: abstract socket names and NUL characters are not supported.", nameof(UnixSocketPath));
        }

        int bytes = System.Text.Encoding.UTF8.GetByteCount(UnixSocketPath);
        if (bytes > MaxUnixSocketPathBytes)
        {
            throw new ArgumentOutOfRangeException(
                nameof(UnixSocketPath),
                UnixSocketPath,
                $"UnixSocketPath is {bytes} bytes long, and a Unix socket path holds at most {MaxUnixSocketPathBytes} (the kernel's sun_path). Use a shorter path, such as one in /tmp or $XDG_RUNTIME_DIR, or a relative one from a nearer working directory.");
        }

        if (Address is not null)
        {
            throw new ArgumentException(
                $"Address {Address} says where a TCP or UDP socket binds; a Unix socket is bound to its path alone. Leave Address unset, or build a second server for TCP.",
                nameof(Address));
        }

        if (PortSharing)
        {
            throw new ArgumentException(
                "PortSharing (SO_REUSEPORT) cannot apply to a Unix socket: one path has one listener. Leave it off, or run several servers on paths of their own.",
                nameof(PortSharing));
        }

        if (MaxConnectionsPerSource is not null)
        {
            throw new ArgumentException(
                "MaxConnectionsPerSource counts connections per client IP address, and Unix socket clients have none. Leave it unset, and bound the total with MaxConnections (file permissions decide who may connect).",
                nameof(MaxConnectionsPerSource));
        }
    }

    private void ValidateTls()
    {
        if (Tls is null)
        {
            return;
        }

        if (Transports == EchoTransports.Unix)
        {
            throw new ArgumentException(
                "Tls is not served over a Unix socket: its peers are on this machine, and the socket file's permissions decide who may connect. Serve TLS from a TCP server, and the Unix socket in plain text.",
                nameof(Tls));
        }

        if (Transports != EchoTransports.Tcp)
        {
            throw new ArgumentException(
                $"Tls is served on TCP only, and Transports is {Transports}: UDP would echo in plain text on the TLS port. Serve TCP alone with TLS, and UDP from another server.",
                nameof(Tls));
        }

        if (Model is EchoConcurrencyModel.Select or EchoConcurrencyModel.EventLoop)
        {
            throw new ArgumentException(
                $"Model {Model} cannot serve TLS: it keeps no stream per connection. Choose Async, ThreadPerClient or Iterative, or leave the model unset for Async.",
                nameof(Model));
        }

        if (Tls.ServerCertificate is null && Tls.ServerCertificateContext is null && Tls.ServerCertificateSelectionCallback is null)
        {
            throw new ArgumentException(
                "Tls names no server certificate: set ServerCertificate, ServerCertificateContext or ServerCertificateSelectionCallback (UseTls(certificate) does).",
                nameof(Tls));
        }

        if (Tls.ServerCertificate is X509Certificate2 { HasPrivateKey: false } certificate)
        {
            throw new ArgumentException(
                $"Tls's certificate {certificate.Subject} has no private key, and a server cannot authenticate without one. Load it with its key (X509Certificate2.CreateFromPemFile(certPath, keyPath), or a PKCS#12 file through X509CertificateLoader.LoadPkcs12FromFile).",
                nameof(Tls));
        }

        if (TlsHandshakeTimeout < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(TlsHandshakeTimeout), TlsHandshakeTimeout, "TlsHandshakeTimeout must be at least one second.");
        }
    }
}
