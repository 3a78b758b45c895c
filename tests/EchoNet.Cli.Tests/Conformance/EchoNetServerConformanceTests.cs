using System.Net;
using EchoNet.Testing;

namespace EchoNet.Cli.Tests.Conformance;

/// <summary>Every EchoNet TCP model passes every TCP conformance check; one sealed class per model.</summary>
public abstract class EchoNetServerConformanceTests
{
    protected abstract EchoConcurrencyModel Model { get; }

    [Fact]
    public async Task Tcp_PassesEveryCheck()
    {
        await using EchoServer server = new EchoServerBuilder().UseModel(Model).BindTo(IPAddress.Loopback).Listen(0);

        EchoConformanceReport report = await EchoConformance.RunAsync(server.LocalEndPoint, cancellationToken: TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Run, TestContext.Current.CancellationToken);

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(6, report.Results.Count);
    }
}

public sealed class IterativeServerConformanceTests : EchoNetServerConformanceTests
{
    protected override EchoConcurrencyModel Model => EchoConcurrencyModel.Iterative;
}

public sealed class SelectServerConformanceTests : EchoNetServerConformanceTests
{
    protected override EchoConcurrencyModel Model => EchoConcurrencyModel.Select;
}

public sealed class ThreadPerClientServerConformanceTests : EchoNetServerConformanceTests
{
    protected override EchoConcurrencyModel Model => EchoConcurrencyModel.ThreadPerClient;
}

public sealed class AsyncServerConformanceTests : EchoNetServerConformanceTests
{
    protected override EchoConcurrencyModel Model => EchoConcurrencyModel.Async;
}
