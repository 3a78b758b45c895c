using System.Net.Sockets;
using EchoNet.Tests.Support;

namespace EchoNet.Tests.Servers;

/// <summary>The host-shaped life of a server: start, stop on a token, run until a token.</summary>
public sealed class ServerLifetimeTests
{
    [Fact]
    public async Task StopAsync_WithAToken_DrainsUntilItFires_ThenClosesWhatIsLeft()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = new EchoServerBuilder().Listen(0);
        byte[] payload = Loopback.RandomBytes(100, seed: 21);
        using Socket client = await Loopback.ConnectAsync(server, timeout.Token);
        Assert.Equal(payload, await Loopback.EchoOnceAsync(client, payload, timeout.Token));

        using var drainCut = new CancellationTokenSource();
        Task stopping = server.StopAsync(drainCut.Token);

        // Draining: the open connection is still served, however long it takes, until the token fires.
        Assert.Equal(payload, await Loopback.EchoOnceAsync(client, payload, timeout.Token));
        Assert.False(stopping.IsCompleted);
        await drainCut.CancelAsync();
        await stopping.WaitAsync(timeout.Token);
        await Loopback.ServerClosedAsync(client, timeout.Token);
        Assert.True(server.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task RunAsync_StartsServes_AndStopsWhenTheTokenFires()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        await using EchoServer server = new EchoServerBuilder().UsePort(0).Build();
        using var stop = new CancellationTokenSource();

        Task running = server.RunAsync(stop.Token);
        byte[] payload = Loopback.RandomBytes(100, seed: 22);
        using (Socket client = await Loopback.ConnectAsync(server, timeout.Token))
        {
            Assert.Equal(payload, await Loopback.EchoToEndAsync(client, payload, timeout.Token));
        }

        await stop.CancelAsync();
        await running.WaitAsync(timeout.Token);
        Assert.True(server.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task StartAsync_OnAPortInUse_FaultsWithTheBindError()
    {
        await using EchoServer first = new EchoServerBuilder().Listen(0);
        await using EchoServer second = new EchoServerBuilder().UsePort(first.LocalEndPoint.Port).Build();

        EchoBindException e = await Assert.ThrowsAsync<EchoBindException>(() => second.StartAsync(TestContext.Current.CancellationToken));
        Assert.Equal(SocketError.AddressAlreadyInUse, e.SocketError);
    }

    [Fact]
    public async Task Bindings_SayTheirTransport_TcpFirst()
    {
        await using EchoServer server = new EchoServerBuilder().UseTcp().UseUdp().Listen(0);

        Assert.Equal([EchoTransports.Tcp, EchoTransports.Udp], server.Bindings.Select(b => b.Transport));
        Assert.Equal($"{server.LocalEndPoint} (TCP)", server.Bindings[0].ToString());
        Assert.Equal($"{server.Bindings[1].EndPoint} (UDP)", server.Bindings[1].ToString());
    }
}
