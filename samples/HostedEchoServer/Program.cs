// The echo server in the .NET Generic Host: options from appsettings.json (or the command line, e.g.
// --EchoServer:Port=0), validated when the host starts; Ctrl+C or SIGTERM drains and stops it.
using EchoNet;
using EchoNet.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

// The content root is the build output, where appsettings.json is copied, so the file is read from any directory.
HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});

// The host logs a failed start at Error and then throws it; the program prints it once, below, or the runtime does.
builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
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
foreach (EchoBinding binding in server.Bindings)
{
    // As the other server samples print it: one line per endpoint, the TCP one first when there are both.
    string kind = binding.Transport == EchoTransports.Udp ? "datagrams" : $"{server.Model}";
    Console.WriteLine($"Listening on {binding.EndPoint} ({(binding.Transport == EchoTransports.Udp ? "UDP" : "TCP")}, {kind})");
}

await host.WaitForShutdownAsync();
return 0;
