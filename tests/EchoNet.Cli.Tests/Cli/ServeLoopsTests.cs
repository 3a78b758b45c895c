namespace EchoNet.Cli.Tests.Cli;

/// <summary><c>echonet serve --loops N</c> runs the event loop with that many loops, and only the event loop.</summary>
public sealed class ServeLoopsTests
{
    [Fact]
    public async Task Loops_WithTheEventLoop_StartsThatManyLoopThreads()
    {
        using EchonetProcess serve = EchonetProcess.Start("serve", "--port", "0", "--bind", "127.0.0.1", "--model", "eventloop", "--loops", "3");
        string listening = await serve.ReadLineStartingWithAsync("Listening on ", TestTimeouts.Step);
        Assert.EndsWith("(TCP, EventLoop)", listening, StringComparison.Ordinal);

        // Linux names each thread in /proc/PID/task/TID/comm (the first 15 bytes of its name).
        string[] names = [.. Directory.EnumerateDirectories($"/proc/{serve.Id}/task").Select(task => File.ReadAllText(Path.Combine(task, "comm")).Trim())];
        Assert.Equal(3, names.Count(name => name.StartsWith("EchoNet loop", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Loops_WithAnotherModel_IsAUsageError()
    {
        using EchonetProcess serve = EchonetProcess.Start("serve", "--port", "0", "--model", "select", "--loops", "2");

        Assert.Equal(2, await serve.WaitForExitAsync(TestTimeouts.Step));
        Assert.Contains("--loops sets how many loops the eventloop model runs", serve.Stderr, StringComparison.Ordinal);
    }
}
