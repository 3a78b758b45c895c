namespace EchoNet.Cli.Tests.Cli;

/// <summary>
/// <c>echonet serve --model eventloop --backend io_uring|epoll</c> runs the loops on that backend: each loop holds one
/// kernel object of its kind, which <c>/proc/PID/fd</c> names (<c>anon_inode:[io_uring]</c>, <c>anon_inode:[eventpoll]</c>).
/// </summary>
public sealed class ServeBackendTests
{
    [Theory]
    [InlineData("io_uring", "anon_inode:[io_uring]", "anon_inode:[eventpoll]")]
    [InlineData("epoll", "anon_inode:[eventpoll]", "anon_inode:[io_uring]")]
    public async Task Backend_RunsEachLoopOnIt(string backend, string held, string notHeld)
    {
        using EchonetProcess serve = EchonetProcess.Start("serve", "--port", "0", "--bind", "127.0.0.1", "--model", "eventloop", "--loops", "2", "--backend", backend);
        string listening = await serve.ReadLineStartingWithAsync("Listening on ", TestTimeouts.Step);
        Assert.EndsWith("(TCP, EventLoop)", listening, StringComparison.Ordinal);

        // The server says it listens once every loop is set up, rings included.
        string[] links = [.. Directory.EnumerateFiles($"/proc/{serve.Id}/fd").Select(fd => new FileInfo(fd).LinkTarget ?? "")];
        Assert.Equal(2, links.Count(link => link == held));
        Assert.DoesNotContain(notHeld, links);
    }

    [Fact]
    public async Task Backend_WithAnotherModel_IsAUsageError()
    {
        using EchonetProcess serve = EchonetProcess.Start("serve", "--port", "0", "--model", "select", "--backend", "epoll");

        Assert.Equal(2, await serve.WaitForExitAsync(TestTimeouts.Step));
        Assert.Contains("--backend chooses what the eventloop model runs on", serve.Stderr, StringComparison.Ordinal);
    }
}
