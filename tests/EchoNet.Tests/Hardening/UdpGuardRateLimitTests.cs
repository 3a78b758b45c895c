using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using EchoNet.Server.Udp;
using EchoNet.Tests.Support;

namespace EchoNet.Tests.Hardening;

/// <summary>
/// The rate limits on real sockets: a flood is cut to the bucket's burst plus its rate over the time it lasted,
/// while other sources are still answered. The bounds are upper bounds that only loosen on a slow machine.
/// </summary>
public sealed class UdpGuardRateLimitTests
{
    private const int FloodSize = 500;
    private const int Rate = 20;
    private const int Burst = 20;

    [Fact]
    public async Task FloodFromOneSource_IsRateLimited_WhileAnotherSourceIsServed()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = new EchoServerBuilder().UseUdp()
            .Configure(o =>
            {
                o.UdpGuard.RateLimitLoopback = true;
                o.UdpGuard.PerSourceDatagramsPerSecond = Rate;
                o.UdpGuard.PerSourceBurst = Burst;
            })
            .Listen(0);
        using Socket flooder = Connect(server);
        using Socket other = Connect(server);
        var clock = Stopwatch.StartNew();

        byte[] otherEcho = [];
        for (int i = 0; i < FloodSize; i++)
        {
            flooder.Send(Numbered(i));
            if (i == FloodSize / 2)
            {
                // Halfway through, once the flooder's bucket is long empty, another source is still answered.
                otherEcho = await UdpDatagrams.RoundTripWithRetriesAsync(other, "other"u8.ToArray(), tries: 10, timeout.Token);
            }
        }

        List<byte[]> answers = await UdpDatagrams.ReceiveUntilSilentAsync(flooder, timeout.Token);
        double elapsed = clock.Elapsed.TotalSeconds;

        Assert.Equal("other"u8.ToArray(), otherEcho);
        AssertLimited(answers, elapsed);
    }

    [Fact]
    public async Task FloodOverTheGlobalCap_IsLimited_AndTheServerAnswersAgainAfterwards()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = new EchoServerBuilder().UseUdp()
            .Configure(o =>
            {
                o.UdpGuard.RateLimitLoopback = true;
                o.UdpGuard.PerSourceDatagramsPerSecond = null;
                o.UdpGuard.GlobalDatagramsPerSecond = Rate;
            })
            .Listen(0);
        using Socket flooder = Connect(server);
        using Socket other = Connect(server);
        var clock = Stopwatch.StartNew();

        for (int i = 0; i < FloodSize; i++)
        {
            flooder.Send(Numbered(i));
        }

        List<byte[]> answers = await UdpDatagrams.ReceiveUntilSilentAsync(flooder, timeout.Token);
        double elapsed = clock.Elapsed.TotalSeconds;
        byte[] otherEcho = await UdpDatagrams.RoundTripWithRetriesAsync(other, "other"u8.ToArray(), tries: 10, timeout.Token);

        AssertLimited(answers, elapsed);
        Assert.Equal("other"u8.ToArray(), otherEcho);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1500, false)]
    [InlineData(65_507, false)]
    [InlineData(0, true)]
    [InlineData(1500, true)]
    [InlineData(65_527, true)]
    public async Task GuardOn_AnswersEverySize(int size, bool ipv6)
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = new EchoServerBuilder().UseUdp()
            .Configure(o =>
            {
                o.UdpGuard.RateLimitLoopback = true;
                o.UdpGuard.PerSourceDatagramsPerSecond = 1;
                o.UdpGuard.PerSourceBurst = 3;
            })
            .Listen(0);
        AddressFamily family = ipv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        using var client = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        client.Connect(Loopback.EndPointOf(server, family));
        byte[] payload = Loopback.RandomBytes(size, seed: size + 7);

        byte[] echoed = await UdpDatagrams.RoundTripAsync(client, payload, timeout.Token);

        Assert.Equal(payload, echoed);
    }

    private static void AssertLimited(List<byte[]> answers, double elapsedSeconds)
    {
        // The bucket starts full, then earns Rate tokens a second; one more for rounding.
        double most = Burst + (Rate * elapsedSeconds) + 1;
        Assert.InRange(answers.Count, Burst, most);
        Assert.All(answers, answer => Assert.InRange(BinaryPrimitives.ReadInt32LittleEndian(answer), 0, FloodSize - 1));
        Assert.Equal(answers.Count, answers.Select(answer => BinaryPrimitives.ReadInt32LittleEndian(answer)).Distinct().Count());
    }

    private static Socket Connect(EchoServer server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(Loopback.EndPointOf(server));
        return socket;
    }

    private static byte[] Numbered(int i)
    {
        byte[] payload = new byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(payload, i);
        return payload;
    }
}
