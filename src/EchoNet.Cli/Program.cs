using System.CommandLine;
using EchoNet.Cli.Commands;

var commandLine = new EchoCommandLine();
ParseResult parsed = commandLine.Root.Parse(args);
int exitCode = await parsed.InvokeAsync(commandLine.InvocationFor(parsed));
return parsed.Errors.Count > 0 ? ExitCodes.Usage : exitCode;
