// README.md (In the Generic Host) and src/EchoNet.Hosting/README.md: a whole program.
using Microsoft.Extensions.DependencyInjection;   // AddEchoServer
using Microsoft.Extensions.Hosting;               // Host, HostApplicationBuilder

HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
builder.Services.AddEchoServer(builder.Configuration.GetSection("EchoServer"));
await builder.Build().RunAsync();
