using System.Net;
using System.Net.Security;

namespace EchoNet.Load;

/// <summary>One bench run; <see cref="Validate"/> (which the runner calls) checks it once, before anything connects.</summary>
internal sealed record BenchSettings
{
    /// <summary>Gets the server: an <see cref="IPEndPoint"/>, or a <see cref="System.Net.Sockets.UnixDomainSocketEndPoint"/> for a Unix socket.</summary>
    public required EndPoint Target { get; init; }

    public required string Host { get; init; }

    public int Connections { get; init; } = 1;

    public int Size { get; init; } = 64;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(1);

    public BenchMode Mode { get; init; } = BenchMode.PingPong;

    /// <summary>Gets messages in flight per connection: 1 in ping-pong, at most this many in pipeline and rate modes.</summary>
    public int Window { get; init; } = 1;

    /// <summary>Gets the messages per second over all connections in <see cref="BenchMode.Rate"/>; 0 otherwise.</summary>
    public double Rate { get; init; }

    public bool Udp { get; init; }

    /// <summary>Gets what the load runs over: <c>tcp</c>, <c>udp</c>, or <c>unix</c> for a Unix socket.</summary>
    public string Protocol => Udp ? "udp" : Target is IPEndPoint ? "tcp" : "unix";

    /// <summary>Gets how long a connection may go without any echo before it counts as timed out and is dropped.</summary>
    public TimeSpan IoTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets how long a UDP client waits for an answer before it counts the datagram as lost.</summary>
    public TimeSpan DatagramTimeout { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Gets how long, after the measured time, the echoes still in flight may take to come back.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets how each TCP connection authenticates the server over TLS, or <see langword="null"/> for plain TCP (TLS runs on async sockets, never the epoll loop).</summary>
    public SslClientAuthenticationOptions? Tls { get; init; }

    /// <summary>Gets a value indicating whether TCP runs on the bench's own epoll loop (where supported) rather than async sockets.</summary>
    public bool UseEpoll { get; init; } = Epoll.EpollInterop.IsSupported;

    /// <summary>Checks the settings fit together.</summary>
    /// <exception cref="ArgumentException">A setting is out of range or does not fit the others; the message names it.</exception>
    /// <exception cref="PlatformNotSupportedException"><see cref="UseEpoll"/> on a platform whose epoll layout the engine does not declare.</exception>
    public void Validate()
    {
        if (Connections < 1 || Size < 1 || Window < 1)
        {
            throw new ArgumentException($"Connections, Size and Window must be at least 1 (got {Connections}, {Size}, {Window}).", nameof(Connections));
        }

        if (Mode == BenchMode.PingPong && Window != 1)
        {
            throw new ArgumentException($"Window must be 1 in ping-pong, which has one message in flight (got {Window}).", nameof(Window));
        }

        if ((Mode == BenchMode.Rate) != (Rate > 0) || double.IsNaN(Rate) || double.IsInfinity(Rate))
        {
            throw new ArgumentException($"Rate must be a positive number of messages per second in rate mode, and 0 otherwise (got {Rate} in {Mode}).", nameof(Rate));
        }

        if (Udp && Mode != BenchMode.PingPong)
        {
            throw new ArgumentException($"UDP runs ping-pong only (got {Mode}).", nameof(Mode));
        }

        if (Tls is not null && (Udp || Mode == BenchMode.Rate))
        {
            throw new ArgumentException($"TLS runs ping-pong and pipeline over TCP, on async sockets; not {(Udp ? "UDP" : "rate mode, which runs on the epoll loop")}.", nameof(Tls));
        }

        if (Tls is not null && Target is not IPEndPoint)
        {
            throw new ArgumentException("TLS runs over TCP; a Unix socket echo is served in plain text.", nameof(Tls));
        }

        if (Udp && Target is not IPEndPoint)
        {
            throw new ArgumentException("UDP needs an IP address and port; a Unix socket is a stream.", nameof(Udp));
        }

        if (UseEpoll && !Udp && Tls is null)
        {
            Epoll.EpollEventLayout.Require();
        }

        if (Mode == BenchMode.Rate && !UseEpoll)
        {
            throw new PlatformNotSupportedException("Rate mode runs on the engine's epoll loop (Linux on x64 or arm64), which this platform lacks.");
        }
    }
}
