using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using EchoNet;

namespace EchoNet.Benchmarks;

/// <summary>
/// One 64-byte round trip through each TCP model (the event loop on each backend), in-process over loopback. The memory diagnoser counts every
/// allocation of the process, the server's threads included, so "Allocated" is what a message costs the server
/// (the client below allocates nothing).
/// </summary>
[MemoryDiagnoser]
public class TcpRoundTripBenchmarks
{
    private readonly byte[] _message = new byte[64];
    private readonly byte[] _echo = new byte[64];
    private EchoServer? _server;
    private Socket? _client;

    [Params("eventloop-io_uring", "eventloop-epoll", "async", "select", "thread-per-client", "iterative")]
    public string Server { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        EchoServerBuilder builder = new EchoServerBuilder().BindTo(IPAddress.Loopback);
        _ = Server switch
        {
            "eventloop-io_uring" => builder.UseEventLoop(backend: EchoEventLoopBackend.IoUring),
            "eventloop-epoll" => builder.UseEventLoop(backend: EchoEventLoopBackend.Epoll),
            "async" => builder.UseAsync(),
            "select" => builder.UseSelect(),
            "thread-per-client" => builder.UseThreadPerClient(),
            "iterative" => builder.UseIterative(),
            _ => throw new ArgumentException($"Unknown server '{Server}'.", nameof(Server)),
        };
        _server = builder.Listen(0);
        _client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _client.Connect(_server.LocalEndPoint);
        new Random(1).NextBytes(_message);
    }

    [Benchmark]
    public int RoundTrip()
    {
        _client!.Send(_message);
        int received = 0;
        while (received < _echo.Length)
        {
            received += _client.Receive(_echo, received, _echo.Length - received, SocketFlags.None);
        }

        return received;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client?.Dispose();
        _server?.StopAsync(TimeSpan.FromSeconds(1)).GetAwaiter().GetResult();
    }
}
