using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using EchoNet;

namespace EchoNet.Benchmarks;

/// <summary>One 64-byte datagram and its answer, in-process over loopback, with the guard on (the default).</summary>
[MemoryDiagnoser]
public class UdpRoundTripBenchmarks
{
    private readonly byte[] _datagram = new byte[64];
    private readonly byte[] _answer = new byte[128];
    private EchoServer? _server;
    private Socket? _client;

    [GlobalSetup]
    public void Setup()
    {
        // The benchmark sends far faster than the default per-source rate: lift it, keep the other checks.
        _server = new EchoServerBuilder().UseUdp().BindTo(IPAddress.Loopback)
            .Configure(o => o.UdpGuard.PerSourceDatagramsPerSecond = null)
            .Configure(o => o.UdpGuard.GlobalDatagramsPerSecond = null)
            .Listen(0);
        _client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _client.Connect(_server.LocalEndPoint);
    }

    [Benchmark]
    public int RoundTrip()
    {
        _client!.Send(_datagram);
        return _client.Receive(_answer);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client?.Dispose();
        _server?.StopAsync(TimeSpan.Zero).GetAwaiter().GetResult();
    }
}
