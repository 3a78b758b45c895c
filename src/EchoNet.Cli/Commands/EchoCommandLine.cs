using System.CommandLine;
using System.CommandLine.Help;

namespace EchoNet.Cli.Commands;

/// <summary>The <c>echonet</c> command and its subcommands.</summary>
internal static class EchoCommandLine
{
    // A plain command named for the tool, not a RootCommand: that one is named after the assembly (EchoNet.Cli).
    public static Command Create() => new("echonet", "echonet: serve RFC 862 echo, talk to, load-test and check any echo server.")
    {
        new HelpOption(),
        new VersionOption(),
        ServeCommand.Create(),
        BenchCommand.Create(),
        CheckCommand.Create(),
        ClientCommand.Create(),
    };
}
