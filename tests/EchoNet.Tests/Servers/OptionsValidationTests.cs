using System.Net;

namespace EchoNet.Tests.Servers;

/// <summary>Invalid options fail at Build() with an ArgumentException naming the option.</summary>
public sealed class OptionsValidationTests
{
    public static TheoryData<string, Action<EchoServerOptions>> InvalidOptions() => new()
    {
        { nameof(EchoServerOptions.Port), o => o.Port = -1 },
        { nameof(EchoServerOptions.Port), o => o.Port = 65_536 },
        { nameof(EchoServerOptions.Backlog), o => o.Backlog = 0 },
        { nameof(EchoServerOptions.ReadSize), o => o.ReadSize = 0 },
        { nameof(EchoServerOptions.ReadSize), o => o.ReadSize = 2_000_000 },
        { nameof(EchoServerOptions.MaxOwedBytes), o => o.MaxOwedBytes = 100 },
        { nameof(EchoServerOptions.Transports), o => o.Transports = EchoTransports.None },
        { nameof(EchoServerOptions.ShutdownTimeout), o => o.ShutdownTimeout = TimeSpan.FromSeconds(-2) },
        { nameof(EchoServerOptions.Model), o => o.Model = (EchoConcurrencyModel)42 },
        { nameof(EchoServerOptions.TimeProvider), o => o.TimeProvider = null! },
        { nameof(EchoServerOptions.EventLoopBackend), o => o.EventLoopBackend = (EchoEventLoopBackend)7 },
        { nameof(EchoServerOptions.EventLoopBackend), o => (o.Model, o.EventLoopBackend) = (EchoConcurrencyModel.Select, EchoEventLoopBackend.Epoll) },
        { nameof(EchoServerOptions.EventLoopBackend), o => (o.Transports, o.EventLoopBackend) = (EchoTransports.Udp, EchoEventLoopBackend.IoUring) },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Build_WithAnInvalidOption_ThrowsNamingIt(string option, Action<EchoServerOptions> configure)
    {
        EchoServerBuilder builder = new EchoServerBuilder().Configure(configure);

        ArgumentException error = Assert.ThrowsAny<ArgumentException>(builder.Build);

        Assert.Equal(option, error.ParamName);
    }

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Validate_ChecksByTheSameRules_AsBuild(string option, Action<EchoServerOptions> configure)
    {
        var options = new EchoServerOptions();
        configure(options);

        ArgumentException error = Assert.ThrowsAny<ArgumentException>(options.Validate);

        Assert.Equal(option, error.ParamName);
    }

    [Fact]
    public void Build_WithATcpModelForAUdpOnlyServer_ThrowsNamingTheModel()
    {
        EchoServerBuilder builder = new EchoServerBuilder().UseUdp().UseSelect();

        ArgumentException error = Assert.Throws<ArgumentException>(builder.Build);

        Assert.Equal(nameof(EchoServerOptions.Model), error.ParamName);
        Assert.Contains("UseTcp()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Listen_WithAnInvalidPort_ThrowsBeforeBinding()
    {
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => new EchoServerBuilder().Listen(70_000));

        Assert.Equal(nameof(EchoServerOptions.Port), error.ParamName);
    }

    [Fact]
    public void Build_WithIoUringForced_OnAKernelThatRefusesIt_ThrowsSayingWhy()
    {
        var options = new EchoServerOptions
        {
            Model = EchoConcurrencyModel.EventLoop,
            EventLoopBackend = EchoEventLoopBackend.IoUring,
            IoUringProbe = () => Server.EventLoop.IoUringAvailability.Refused("io_uring is disabled on this machine (sysctl kernel.io_uring_disabled = 2)"),
        };

        PlatformNotSupportedException error = Assert.Throws<PlatformNotSupportedException>(new EchoServerBuilder(options).Build);

        Assert.Contains("EventLoopBackend IoUring", error.Message, StringComparison.Ordinal);
        Assert.Contains("kernel.io_uring_disabled = 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("Automatic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Twice_Throws()
    {
        var builder = new EchoServerBuilder();
        _ = builder.Build();

        Assert.Throws<InvalidOperationException>(builder.Build);
    }

    [Fact]
    public void Build_AppliesTheDefaultsOfTheCourse()
    {
        EchoServer server = new EchoServerBuilder().Build();

        Assert.Equal(EchoTransports.Tcp, server.Transports);
        // The event loop where it runs (Linux on x64, as here and in CI), the portable async model elsewhere.
        Assert.Equal(OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64 ? EchoConcurrencyModel.EventLoop : EchoConcurrencyModel.Async, server.Model);
        var options = new EchoServerOptions();
        Assert.Equal(7777, options.Port);
        Assert.True(options.ReuseAddress);
        Assert.False(options.PortSharing);
        Assert.Null(options.Address);
        Assert.NotEqual(IPAddress.Any, options.Address);
    }
}
