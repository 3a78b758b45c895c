using System.CommandLine;
using EchoNet.Cli.Commands;

ParseResult parsed = EchoCommandLine.Create().Parse(args);

// The commands handle Ctrl+C and SIGTERM themselves (a server drains, a bench reports what it measured).
int exitCode = await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
return parsed.Errors.Count > 0 ? ExitCodes.Usage : exitCode;
