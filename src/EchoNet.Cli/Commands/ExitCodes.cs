namespace EchoNet.Cli.Commands;

/// <summary>What the <c>echonet</c> process returns, for scripts and CI.</summary>
internal static class ExitCodes
{
    /// <summary>Everything worked: the server stopped cleanly, the bench saw no fault, every check passed.</summary>
    public const int Success = 0;

    /// <summary>The work ran and failed: a check failed, the bench saw faults, the server could not bind or died.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong; the message says what to change.</summary>
    public const int Usage = 2;
}
