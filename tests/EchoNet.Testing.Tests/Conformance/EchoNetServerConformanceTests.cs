using System.Net;
using EchoNet.Tests.Support;

namespace EchoNet.Testing.Tests.Conformance;

/// <summary>
/// Every EchoNet TCP model passes every TCP conformance check, over TCP and over a Unix socket; one sealed subclass
/// per model, below.
/// </summary>
public abstract class EchoNetServerConformanceTests<TModel>
    where TModel : ITcpModel
{
    [Fact]
    public async Task Tcp_PassesEveryCheck()
    {
        await using EchoServer server = TModel.Use(new EchoServerBuilder()).BindTo(IPAddress.Loopback).Listen(0);

        EchoConformanceReport report = await EchoConformance.RunAsync(server.LocalEndPoint, cancellationToken: TestContext.Current.CancellationToken)
            .WaitAsync(Loopback.Timeout, TestContext.Current.CancellationToken);

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(6, report.Results.Count);
    }

    [Fact]
    public async Task UnixSocket_PassesEveryTcpCheck()
    {
        using var socketPath = new UnixSocketPath();
        await using EchoServer server = TModel.Use(new EchoServerBuilder()).ListenUnix(socketPath.Path);

        EchoConformanceReport report = await EchoConformance.RunAsync(socketPath.EndPoint, cancellationToken: TestContext.Current.CancellationToken)
            .WaitAsync(Loopback.Timeout, TestContext.Current.CancellationToken);

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(6, report.Results.Count);
    }
}

public sealed class IterativeServerConformanceTests : EchoNetServerConformanceTests<IterativeModel>;

public sealed class SelectServerConformanceTests : EchoNetServerConformanceTests<SelectModel>;

public sealed class ThreadPerClientServerConformanceTests : EchoNetServerConformanceTests<ThreadPerClientModel>;

public sealed class AsyncServerConformanceTests : EchoNetServerConformanceTests<AsyncModel>;

public sealed class EventLoopServerConformanceTests : EchoNetServerConformanceTests<EventLoopModel>;

public sealed class EventLoopEpollServerConformanceTests : EchoNetServerConformanceTests<EventLoopEpollModel>;
