// README.md, Quick start: a whole program.
using EchoNet;

await using EchoServer server = new EchoServerBuilder()
    .UseSelect()                       // or UseIterative(), UseThreadPerClient(), UseAsync() (the default)
    .Listen(7777);                     // binds now: a port in use throws EchoBindException here
Console.WriteLine($"Listening on {server.LocalEndPoint}");   // Listen(0) takes an ephemeral port
await server.Completion;               // or: await server.StopAsync(TimeSpan.FromSeconds(5));
