using System.Net;
using EchoNet.Tests.Support;

namespace EchoNet.Cli.Tests.Cli;

/// <summary>
/// <c>echonet serve --model NAME</c> serves the model of that name (iterative, select, thread-per-client, async, eventloop on
/// either backend) and
/// says so; one sealed subclass per model, below.
/// </summary>
public abstract class ServeModelTests<TModel>
    where TModel : ITcpModel
{
    [Fact]
    public async Task Serve_WithTheModelsName_ListensAsThatModel_AndEchoes()
    {
        CancellationToken token = TestContext.Current.CancellationToken;
        using EchonetProcess serve = EchonetProcess.Start(["serve", "--port", "0", "--bind", "127.0.0.1", .. TModel.ServeArguments]);

        string listening = await serve.ReadLineStartingWithAsync("Listening on ", TestTimeouts.Step);
        Assert.EndsWith($"(TCP, {TModel.Model})", listening, StringComparison.Ordinal);
        int port = IPEndPoint.Parse(listening.Split(' ')[2]).Port;
        await using (EchoClient client = await EchoClient.ConnectAsync("127.0.0.1", port, TestTimeouts.Step, token))
        {
            Assert.Equal("hého\n", await client.EchoAsync("hého\n", token).WaitAsync(TestTimeouts.Step, token));
        }

        serve.Terminate();
        Assert.Equal(0, await serve.WaitForExitAsync(TestTimeouts.Step));
    }
}

public sealed class IterativeServeModelTests : ServeModelTests<IterativeModel>;

public sealed class SelectServeModelTests : ServeModelTests<SelectModel>;

public sealed class ThreadPerClientServeModelTests : ServeModelTests<ThreadPerClientModel>;

public sealed class AsyncServeModelTests : ServeModelTests<AsyncModel>;

public sealed class EventLoopServeModelTests : ServeModelTests<EventLoopModel>;

public sealed class EventLoopEpollServeModelTests : ServeModelTests<EventLoopEpollModel>;
