using System.CommandLine;
using System.CommandLine.Help;

namespace EchoNet.Cli.Commands;

/// <summary>
/// The <c>echonet</c> command and its subcommands, and how they are invoked: System.CommandLine turns Ctrl+C and
/// SIGTERM into the cancellation token each command stops on, then gives it time to stop before ending the process.
/// </summary>
internal sealed class EchoCommandLine
{
    /// <summary>
    /// How long a command may take to stop once its token is cancelled, beyond the drain <c>serve</c> is given: the
    /// server closing what is left, a bench closing its connections and printing its report.
    /// </summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private readonly ServeCommand _serve = new();

    public EchoCommandLine()
    {
        // A plain command named for the tool, not a RootCommand: that one is named after the assembly (EchoNet.Cli).
        Root = new Command("echonet", "echonet: serve RFC 862 echo, talk to, load-test and check any echo server.")
        {
            new HelpOption(),
            new VersionOption(),
            _serve.Command,
            BenchCommand.Create(),
            CheckCommand.Create(),
            ClientCommand.Create(),
        };
    }

    /// <summary>
    /// Sets what <paramref name="command"/> does, to run until it is done or <see cref="CancellationToken"/> asks it to
    /// stop. It starts with a yield: System.CommandLine waits for an action after Ctrl+C or SIGTERM only once the
    /// action has handed back its task, and a signal before that ends the process at once. A server that has printed
    /// where it listens must drain instead, so nothing runs before the task is handed back.
    /// </summary>
    public static void SetStoppableAction(Command command, Func<ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await Task.Yield();
            return await action(parsed, cancellationToken);
        });

    /// <summary>Gets the <c>echonet</c> command.</summary>
    public Command Root { get; }

    /// <summary>
    /// How to invoke <paramref name="parsed"/>: after Ctrl+C or SIGTERM the process ends when the command returns, or
    /// with exit code 130 or 143 if it has not returned within the drain it was given and <see cref="StopGrace"/>.
    /// </summary>
    public InvocationConfiguration InvocationFor(ParseResult parsed)
    {
        bool serving = parsed.Errors.Count == 0 && parsed.CommandResult.Command == _serve.Command;
        return new InvocationConfiguration
        {
            ProcessTerminationTimeout = (serving ? _serve.ShutdownTimeout(parsed) : TimeSpan.Zero) + StopGrace,
        };
    }
}
