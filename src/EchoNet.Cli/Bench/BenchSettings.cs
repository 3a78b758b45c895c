using System.Net;

namespace EchoNet.Cli.Bench;

/// <summary>One bench run, as the command line asked for it; validated by the command before a run starts.</summary>
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

    /// <summary>Gets messages in flight per connection: 1 in ping-pong.</summary>
    public int Window { get; init; } = 1;

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

    /// <summary>Gets a value indicating whether TCP runs on the bench's own epoll loop (where supported) rather than async sockets.</summary>
    public bool UseEpoll { get; init; } = Epoll.EpollInterop.IsSupported;
}
