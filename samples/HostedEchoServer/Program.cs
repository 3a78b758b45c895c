// The echo server in the .NET Generic Host: options from appsettings.json (or the command line, e.g.
// --EchoServer:Port=0), validated when the host starts; Ctrl+C or SIGTERM drains and stops it.
using EchoNet;
using EchoNet.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
builder.Services.AddEchoServer(builder.Configuration.GetSection("EchoServer"));
using IHost host = builder.Build();
try
{
    await host.StartAsync();
}
catch (Exception e) when (e is OptionsValidationException or EchoBindException)
{
    // An option out of range, or a port in use: the message says which and what to do.
    await Console.Error.WriteLineAsync(e.Message);
    return 1;
}

EchoServer server = host.Services.GetRequiredService<EchoServerHostedService>().Server!;
Console.WriteLine($"Listening on {server.LocalEndPoint} ({server.Transports})");
await host.WaitForShutdownAsync();
return 0;
