namespace EchoNet.Cli.Commands;

/// <summary>
/// Runs socket continuations on the runtime's epoll thread instead of hopping to the thread pool. The bench's and
/// the async server's continuations never block (they check bytes, or echo them, and start the next operation), and
/// the hop cost a third of the bench's CPU and held the async server to 0.45× the C reference where inline it reached
/// 0.71× (S2 of the yardstick, bench/ratios.sh). The runtime reads the variable once, when the first socket is made,
/// so this runs before any; a setting the user made wins.
/// </summary>
internal static class InlineSocketCompletions
{
    private const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static void Enable()
    {
        if (Environment.GetEnvironmentVariable(Variable) is null)
        {
            Environment.SetEnvironmentVariable(Variable, "1");
        }
    }
}
