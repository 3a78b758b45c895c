using System.CommandLine;

namespace EchoNet.Cli.Commands;

/// <summary>The <c>echonet</c> command and its subcommands.</summary>
internal static class EchoCommandLine
{
    public static RootCommand Create() => new("echonet: serve RFC 862 echo, load-test any echo server, check any echo server for conformance.")
    {
        ServeCommand.Create(),
        BenchCommand.Create(),
        CheckCommand.Create(),
    };
}
