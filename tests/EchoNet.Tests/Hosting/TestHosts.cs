using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EchoNet.Tests.Hosting;

/// <summary>A Generic Host with an echo server bound from the given settings, as an app that calls AddEchoServer builds it.</summary>
internal static class TestHosts
{
    public static IHost Build(Dictionary<string, string?> settings, string section = "EchoServer")
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.Services.AddEchoServer(builder.Configuration.GetSection(section));
        return builder.Build();
    }
}
