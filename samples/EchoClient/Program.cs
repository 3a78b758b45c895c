// Course §1.3: send each line typed to the server and print its echo; an empty line or end of input (Ctrl+D) ends.
using System.Globalization;
using System.Text;
using EchoNet;

string host = args.Length > 0 ? args[0] : "localhost";
int port = 7777;
if (args.Length > 1 && (!int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
{
    await Console.Error.WriteLineAsync($"'{args[1]}' is not a port: give a number from 1 to 65535.");
    return 2;
}

// The wire carries UTF-8; make the terminal side agree whatever the locale says.
Console.InputEncoding = Console.OutputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
try
{
    await using EchoClient client = await EchoClient.ConnectAsync(host, port);
    await Console.Error.WriteLineAsync($"Connected to {client.RemoteEndPoint} (TCP). Type lines; an empty line or end of input ends.");
    await new EchoConsoleSession(client, Console.In, Console.Out).RunAsync();
    return 0;
}
catch (IOException e)
{
    // EchoConnectException (refused, unresolved, timed out) and a connection lost midway both say what to do.
    await Console.Error.WriteLineAsync(e.Message);
    return 1;
}
