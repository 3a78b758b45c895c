// README.md, Quick start: a whole program.
using EchoNet;

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

await using EchoServer server = new EchoServerBuilder()
    .UseSelect()                       // or UseIterative(), UseThreadPerClient(), UseAsync(), UseEventLoop()
    .Listen(7777);                     // binds now: a port in use throws EchoBindException here
Console.WriteLine($"Listening on {server.LocalEndPoint}");   // Listen(0) takes an ephemeral port
await server.RunAsync(stop.Token);     // serves until Ctrl+C, then drains open connections for 5 s
