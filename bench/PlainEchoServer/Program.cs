// The server as a library user writes it: `PlainEchoServer PORT [async|select|epoll]`; no model given is the library's default
// (the event loop on Linux x64). The process ends with SIGTERM, as the yardstick stops it.
using System.Globalization;
using EchoNet;

var builder = new EchoServerBuilder();
if (args.Length > 1 && args[1] == "async")
{
    builder.UseAsync();
}
else if (args.Length > 1 && args[1] == "select")
{
    builder.UseSelect();
}
else if (args.Length > 1 && args[1] == "epoll")
{
    builder.UseEventLoop(backend: EchoEventLoopBackend.Epoll);
}

await using EchoServer server = builder.Listen(int.Parse(args[0], CultureInfo.InvariantCulture));
await server.Completion;
