namespace EchoNet.Load.Tests;

/// <summary>Bounds on every wait in these tests: generous for a loaded 2-core machine, finite always.</summary>
internal static class TestTimeouts
{
    /// <summary>A whole bench run: connect, warm-up, measured time and drain.</summary>
    public static readonly TimeSpan Run = TimeSpan.FromSeconds(60);

    /// <summary>One wait on a socket or on epoll.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(10);
}
