using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using EchoNet.Tests.Support;

namespace EchoNet.Tests.Servers;

/// <summary>
/// The behaviour every TCP concurrency model shares, written once; each model runs it through a sealed subclass in
/// TcpEchoServerTestsPerModel.cs.
/// </summary>
public abstract class TcpEchoServerTests<TModel>
    where TModel : ITcpModel
{
    private static EchoServer StartServer(int port = 0) => TModel.Use(new EchoServerBuilder()).Listen(port);

    [Fact]
    public async Task Server_ReportsTheModelItWasBuiltWith()
    {
        await using EchoServer server = StartServer();

        Assert.Equal(TModel.Model, server.Model);
    }

    [Fact]
    public async Task ShortMessage_IsEchoed()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = StartServer();
        using Socket client = await Loopback.ConnectAsync(server, timeout.Token);

        await Loopback.SendAllAsync(client, "hello\n"u8.ToArray(), timeout.Token);
        byte[] echo = await Loopback.ReceiveExactlyAsync(client, 6, timeout.Token);

        Assert.Equal("hello\n"u8.ToArray(), echo);
    }

    [Fact]
    public async Task Utf8Text_IsEchoedByteForByte()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = StartServer();
        using Socket client = await Loopback.ConnectAsync(server, timeout.Token);
        byte[] text = Encoding.UTF8.GetBytes("hého, ἀλφα, 日本語, 🎉\r\n");

        byte[] echo = await Loopback.EchoToEndAsync(client, text, timeout.Token);

        Assert.Equal(text, echo);
    }

    [Fact]
    public async Task ClientThatSendsNothing_AndCloses_GetsEndOfStream()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = StartServer();
        using Socket client = await Loopback.ConnectAsync(server, timeout.Token);

        byte[] echo = await Loopback.EchoToEndAsync(client, ReadOnlyMemory<byte>.Empty, timeout.Token);

        Assert.Empty(echo);
    }

    [Fact]
    public async Task OneMebibyte_InRandomChunks_IsEchoedByteForByte()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = StartServer();
        using Socket client = await Loopback.ConnectAsync(server, timeout.Token);
        byte[] payload = Loopback.RandomBytes(1 << 20, seed: 862);
        var random = new Random(7);

        Task<byte[]> reading = Loopback.ReceiveExactlyAsync(client, payload.Length, timeout.Token);
        for (int offset = 0; offset < payload.Length;)
        {
            int chunk = Math.Min(random.Next(1, 64 * 1024 + 1), payload.Length - offset);
            await Loopback.SendAllAsync(client, payload.AsMemory(offset, chunk), timeout.Token);
            offset += chunk;
        }

        Assert.Equal(payload, await reading);
    }

    [Fact]
    public async Task SixteenMebibytes_InWritesMuchLargerThanTheReadSize_AreEchoedInOrder()
    {
        // Receives of 4 KiB under writes of 256 KiB keep many receives waiting behind each echo, past what may wait
        // without being copied; a cap on owed bytes far above that lets them go on arriving while some wait and some
        // are copied. Every path that holds bytes back runs, often, and each must keep the order.
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = TModel.Use(new EchoServerBuilder()).UseReadSize(4096).Configure(options => options.MaxOwedBytes = 4 << 20).Listen(0);
        using Socket client = await Loopback.ConnectAsync(server, timeout.Token);
        byte[] payload = Loopback.RandomBytes(16 << 20, seed: 1862);

        Task<byte[]> reading = Loopback.ReceiveExactlyAsync(client, payload.Length, timeout.Token);
        for (int offset = 0; offset < payload.Length; offset += 256 * 1024)
        {
            await Loopback.SendAllAsync(client, payload.AsMemory(offset, 256 * 1024), timeout.Token);
        }

        Assert.Equal(payload, await reading);
    }

    [Fact]
    public async Task HalfClose_EchoesEverythingOwed_ThenCloses()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = StartServer();
        using Socket client = await Loopback.ConnectAsync(server, timeout.Token);
        byte[] payload = Loopback.RandomBytes(256 * 1024, seed: 1);

        byte[] echo = await Loopback.EchoToEndAsync(client, payload, timeout.Token);

        Assert.Equal(payload.Length, echo.Length);
        Assert.Equal(payload, echo);
    }

    [Fact]
    public async Task TwentyConcurrentClients_AreEachEchoedCorrectly()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = StartServer();

        async Task EchoOne(int seed)
        {
            using Socket client = await Loopback.ConnectAsync(server, timeout.Token);
            byte[] payload = Loopback.RandomBytes(32 * 1024 + seed, seed);
            Assert.Equal(payload, await Loopback.EchoToEndAsync(client, payload, timeout.Token));
        }

        await Task.WhenAll(Enumerable.Range(1, 20).Select(EchoOne));
    }

    [Fact]
    public async Task ClientThatResetsMidStream_DoesNotDisturbOtherClients()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = StartServer();

        using (Socket resetter = await Loopback.ConnectAsync(server, timeout.Token))
        {
            await Loopback.SendAllAsync(resetter, Loopback.RandomBytes(100_000, seed: 3), timeout.Token);
            resetter.LingerState = new LingerOption(true, 0);
        }

        // A second one resets before it sends anything.
        using (Socket silent = await Loopback.ConnectAsync(server, timeout.Token))
        {
            silent.LingerState = new LingerOption(true, 0);
        }

        using Socket client = await Loopback.ConnectAsync(server, timeout.Token);
        byte[] payload = Loopback.RandomBytes(10_000, seed: 4);
        Assert.Equal(payload, await Loopback.EchoToEndAsync(client, payload, timeout.Token));
    }

    [Fact]
    public async Task ClientThatNeverReads_DoesNotStopOtherClients()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = StartServer();
        using Socket hog = await Loopback.ConnectAsync(server, timeout.Token);

        // 8 MiB without reading: the server must stop reading the hog (its echo is owed) rather than buffer it all.
        Task flooding = Loopback.SendAllAsync(hog, Loopback.RandomBytes(8 << 20, seed: 5), timeout.Token);
        Task<Socket> connecting = Loopback.ConnectAsync(server, timeout.Token);
        if (!TModel.ServesClientsConcurrently)
        {
            // One client at a time: the next is served once the hog goes away, and the server is still there for it.
            Assert.True(await Poll.UntilAsync(() => server.Statistics.BytesReceived > 0, Loopback.Timeout, timeout.Token), "The server never read the hog.");
            Loopback.Reset(hog);
        }

        using Socket other = await connecting;
        using CancellationTokenSource prompt = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        prompt.CancelAfter(TimeSpan.FromSeconds(10));
        byte[] payload = Loopback.RandomBytes(4096, seed: 6);
        Assert.Equal(payload, await Loopback.EchoToEndAsync(other, payload, prompt.Token));

        if (TModel.ServesClientsConcurrently)
        {
            Loopback.Reset(hog);
        }

        await Task.WhenAny(flooding);
    }

    [Fact]
    public async Task StopAsync_WithIdleAndBusyClients_ReturnsWithinDrainBound_AndFreesThePort()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        EchoServer server = StartServer();
        int port = server.LocalEndPoint.Port;
        using Socket idle = await Loopback.ConnectAsync(server, timeout.Token);
        using Socket busy = await Loopback.ConnectAsync(server, timeout.Token);
        Task<int> busyLoop = Loopback.RoundTripUntilServerClosesAsync(busy, Loopback.RandomBytes(1024, seed: 9), timeout.Token);
        TimeSpan drain = TimeSpan.FromMilliseconds(500);

        var watch = Stopwatch.StartNew();
        await server.StopAsync(drain).WaitAsync(timeout.Token);
        watch.Stop();

        Assert.InRange(watch.Elapsed, TimeSpan.Zero, drain + TimeSpan.FromSeconds(5));
        Assert.True(server.Completion.IsCompletedSuccessfully);
        await Loopback.ServerClosedAsync(idle, timeout.Token);
        await busyLoop.WaitAsync(timeout.Token);
        await using EchoServer again = StartServer(port);
        Assert.Equal(port, again.LocalEndPoint.Port);
    }

    [Fact]
    public async Task StopAsync_LetsAHalfClosedClientReceiveWhatItIsOwed()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        EchoServer server = StartServer();
        using Socket client = await Loopback.ConnectAsync(server, timeout.Token);
        byte[] payload = Loopback.RandomBytes(64 * 1024, seed: 8);
        await Loopback.SendAllAsync(client, payload, timeout.Token);
        byte[] first = await Loopback.ReceiveExactlyAsync(client, 1, timeout.Token);

        Task stopping = server.StopAsync(TimeSpan.FromSeconds(20));
        byte[] echo = await Loopback.EchoToEndAsync(client, ReadOnlyMemory<byte>.Empty, timeout.Token);
        await stopping.WaitAsync(timeout.Token);

        Assert.Equal(payload, first.Concat(echo).ToArray());
    }

    [Fact]
    public async Task StopAsync_FromManyThreadsAndFromACompletionCallback_AllReturn()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        EchoServer server = StartServer();
        using Socket client = await Loopback.ConnectAsync(server, timeout.Token);
        Task stoppedFromCallback = server.Completion.ContinueWith(
            _ => server.StopAsync(TimeSpan.Zero), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).Unwrap();

        Task[] stops = [.. Enumerable.Range(0, 8).Select(_ => Task.Run(() => server.StopAsync(TimeSpan.FromMilliseconds(200)), timeout.Token))];
        await Task.WhenAll(stops).WaitAsync(timeout.Token);
        await stoppedFromCallback.WaitAsync(timeout.Token);
        await server.DisposeAsync();

        Assert.True(server.Completion.IsCompletedSuccessfully);
        await Loopback.ServerClosedAsync(client, timeout.Token);
    }

    [Fact]
    public async Task StopAsync_WithAShorterDrain_CutsTheDrainUnderWay()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        EchoServer server = StartServer();
        using Socket idle = await Loopback.ConnectAsync(server, timeout.Token);
        await Loopback.SendAllAsync(idle, "x"u8.ToArray(), timeout.Token);
        Assert.Equal("x"u8.ToArray(), await Loopback.ReceiveExactlyAsync(idle, 1, timeout.Token));

        Task longDrain = server.StopAsync(TimeSpan.FromMinutes(10));
        Task cut = server.StopAsync(TimeSpan.Zero);

        await Task.WhenAll(longDrain, cut).WaitAsync(timeout.Token);
        Assert.Same(longDrain, cut);
        await Loopback.ServerClosedAsync(idle, timeout.Token);
    }

    [Fact]
    public async Task Completion_EndsWhenTheServerStops()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        EchoServer server = StartServer();
        Assert.False(server.Completion.IsCompleted);

        await server.DisposeAsync();

        await server.Completion.WaitAsync(timeout.Token);
        Assert.True(server.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task DualStackServer_EchoesIPv4AndIPv6Clients()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = StartServer();

        // The test hosts have IPv6; the default listens on [::] and takes IPv4 clients too.
        Assert.Equal(IPAddress.IPv6Any, server.LocalEndPoint.Address);

        foreach (AddressFamily family in new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 })
        {
            using Socket client = await Loopback.ConnectAsync(server, timeout.Token, family);
            byte[] payload = Loopback.RandomBytes(1000, seed: (int)family);
            Assert.Equal(payload, await Loopback.EchoToEndAsync(client, payload, timeout.Token));
        }
    }

    [Theory]
    [InlineData("nc")]
    [InlineData("socat")]
    [InlineData("python3")]
    public async Task RealClient_GetsBinaryBytesBack_AfterHalfClose(string client)
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = StartServer();
        string port = server.LocalEndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        byte[] payload = [.. Enumerable.Range(0, 256).Select(i => (byte)i), .. Loopback.RandomBytes(300_000, seed: 10)];
        string[] arguments = client switch
        {
            // -N: shut the sending side at the end of input, then print until the server closes.
            "nc" => ["-N", "127.0.0.1", port],
            "socat" => ["-t", "20", "-", $"TCP:127.0.0.1:{port}"],
            _ => ["-c", ExternalClient.PythonTcpClient, "127.0.0.1", port],
        };

        byte[] echo = await ExternalClient.RunAsync(client, arguments, payload, timeout.Token);

        Assert.Equal(payload.Length, echo.Length);
        Assert.Equal(payload, echo);
    }
}
