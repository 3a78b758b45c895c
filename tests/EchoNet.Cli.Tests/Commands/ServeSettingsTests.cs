using EchoNet.Cli.Commands;
using Microsoft.Extensions.Logging;

namespace EchoNet.Cli.Tests.Commands;

/// <summary>What <c>echonet serve</c> hands the library: an unset limit stays unset, so the library's default applies.</summary>
public sealed class ServeSettingsTests
{
    [Fact]
    public void MaxConnections_NotGiven_IsPassedOnAsNull()
    {
        var options = new EchoServerOptions { MaxConnections = 123 };

        Settings(maxConnections: null).ApplyLimits(options);

        Assert.Null(options.MaxConnections);
    }

    [Fact]
    public void MaxConnections_Given_IsPassedOn()
    {
        var options = new EchoServerOptions();

        Settings(maxConnections: 40).ApplyLimits(options);

        Assert.Equal(40, options.MaxConnections);
    }

    private static ServeSettings Settings(int? maxConnections) => new()
    {
        Transport = "tcp",
        MaxConnections = maxConnections,
        ShutdownTimeout = TimeSpan.FromSeconds(1),
        LogLevel = LogLevel.None,
    };
}
