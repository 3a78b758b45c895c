namespace EchoNet.Cli.Tests;

/// <summary>Bounds on every wait in these tests: generous for a loaded 2-core machine, finite always.</summary>
internal static class TestTimeouts
{
    /// <summary>A whole conformance run or tool invocation.</summary>
    public static readonly TimeSpan Run = TimeSpan.FromSeconds(60);

    /// <summary>One line of output, or one process exit after a signal.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(20);
}
