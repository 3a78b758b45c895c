namespace EchoNet.Cli.Tests.Cli;

/// <summary>
/// <c>echonet serve --model eventloop --backend io_uring|epoll</c> runs the loops on that backend: an io_uring loop holds
/// a ring, which <c>/proc/PID/fd</c> names <c>anon_inode:[io_uring]</c>, and an epoll loop none (epoll instances tell
/// nothing: the runtime's own socket engine has one).
/// </summary>
public sealed class ServeBackendTests
{
    [Theory]
    [InlineData("io_uring", 2)]
    [InlineData("epoll", 0)]
    public async Task Backend_RunsEachLoopOnIt(string backend, int rings)
    {
        using EchonetProcess serve = EchonetProcess.Start("serve", "--port", "0", "--bind", "127.0.0.1", "--model", "eventloop", "--loops", "2", "--backend", backend);
        string listening = await serve.ReadLineStartingWithAsync("Listening on ", TestTimeouts.Step);
        Assert.EndsWith("(TCP, EventLoop)", listening, StringComparison.Ordinal);

        // The server says it listens once every loop is set up, rings included.
        string[] links = [.. Directory.EnumerateFiles($"/proc/{serve.Id}/fd").Select(fd => new FileInfo(fd).LinkTarget ?? "")];
        Assert.Equal(rings, links.Count(link => link == "anon_inode:[io_uring]"));
    }

    [Fact]
    public async Task Backend_WithAnotherModel_IsAUsageError()
    {
        using EchonetProcess serve = EchonetProcess.Start("serve", "--port", "0", "--model", "select", "--backend", "epoll");

        Assert.Equal(2, await serve.WaitForExitAsync(TestTimeouts.Step));
        Assert.Contains("--backend chooses what the eventloop model runs on", serve.Stderr, StringComparison.Ordinal);
    }
}
