using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text.RegularExpressions;
using EchoNet.Hosting;
using EchoNet.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EchoNet.Tests.Hosting;

/// <summary>The EchoServer section, bound setting by setting: every option a string can say, and a start that fails naming a bad setting and what it takes.</summary>
public sealed partial class HostingConfigurationTests
{
    // Every option a configuration string can say, each away from its default.
    private static readonly Dictionary<string, string?> EverySetting = new()
    {
        ["EchoServer:Transports"] = "tcp, udp",
        ["EchoServer:Model"] = "eventloop",
        ["EchoServer:EventLoopBackend"] = "epoll",
        ["EchoServer:EventLoops"] = "3",
        ["EchoServer:UnixSocketPath"] = "", // a path needs Transports Unix alone (UnixSocketPath_IsTheSocketTheServerListensOn)
        ["EchoServer:Address"] = "127.0.0.1",
        ["EchoServer:Port"] = " 0 ",
        ["EchoServer:ReuseAddress"] = "false",
        ["EchoServer:PortSharing"] = "True",
        ["EchoServer:Backlog"] = "16",
        ["EchoServer:ReadSize"] = "4096",
        ["EchoServer:MaxOwedBytes"] = "8192",
        ["EchoServer:MaxConnections"] = "100",
        ["EchoServer:MaxConnectionsPerSource"] = "10",
        ["EchoServer:IdleTimeout"] = "00:05:00",
        ["EchoServer:SendStallTimeout"] = "",
        ["EchoServer:ShutdownTimeout"] = "00:00:02.500",
        ["EchoServer:TlsHandshakeTimeout"] = "00:00:03",
        ["EchoServer:UdpGuard:Enabled"] = "false",
        ["EchoServer:UdpGuard:BlockedSourcePorts:0"] = "53",
        ["EchoServer:UdpGuard:BlockedSourcePorts:1"] = "123",
        ["EchoServer:UdpGuard:PerSourceDatagramsPerSecond"] = "",
        ["EchoServer:UdpGuard:PerSourceBurst"] = "50",
        ["EchoServer:UdpGuard:GlobalDatagramsPerSecond"] = "5000",
        ["EchoServer:UdpGuard:RateLimitLoopback"] = "true",
    };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void EverySetting_SetsItsOption()
    {
        using IHost host = TestHosts.Build(EverySetting);

        EchoServerOptions options = host.Services.GetRequiredService<IOptions<EchoServerOptions>>().Value;

        Assert.Equal(EchoTransports.Tcp | EchoTransports.Udp, options.Transports);
        Assert.Equal(EchoConcurrencyModel.EventLoop, options.Model);
        Assert.Equal(EchoEventLoopBackend.Epoll, options.EventLoopBackend);
        Assert.Equal(3, options.EventLoops);
        Assert.Null(options.UnixSocketPath);
        Assert.Equal(IPAddress.Loopback, options.Address);
        Assert.Equal(0, options.Port);
        Assert.False(options.ReuseAddress);
        Assert.True(options.PortSharing);
        Assert.Equal(16, options.Backlog);
        Assert.Equal(4096, options.ReadSize);
        Assert.Equal(8192, options.MaxOwedBytes);
        Assert.Equal(100, options.MaxConnections);
        Assert.Equal(10, options.MaxConnectionsPerSource);
        Assert.Equal(TimeSpan.FromMinutes(5), options.IdleTimeout);
        Assert.Null(options.SendStallTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), options.ShutdownTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), options.TlsHandshakeTimeout);
        Assert.False(options.UdpGuard.Enabled);
        Assert.Equal([53, 123], options.UdpGuard.BlockedSourcePorts.Order());
        Assert.Null(options.UdpGuard.PerSourceDatagramsPerSecond);
        Assert.Equal(50, options.UdpGuard.PerSourceBurst);
        Assert.Equal(5000, options.UdpGuard.GlobalDatagramsPerSecond);
        Assert.True(options.UdpGuard.RateLimitLoopback);
    }

    [Fact]
    public void EverySetting_CoversEveryOptionAStringCanSay()
    {
        // Set in code, not in configuration: the clock and the factories; UdpGuard is the group of the settings below it;
        // Tls comes from the TlsCertificate section (HostingTests).
        string[] setInCode = [nameof(EchoServerOptions.TimeProvider), nameof(EchoServerOptions.LoggerFactory), nameof(EchoServerOptions.MeterFactory), nameof(EchoServerOptions.UdpGuard), nameof(EchoServerOptions.Tls)];
        // The instance properties: the static MaxUnixSocketPathBytes is a limit to read, not an option.
        IEnumerable<string> options = typeof(EchoServerOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).Except(setInCode)
            .Concat(typeof(UdpGuardOptions).GetProperties().Select(p => $"UdpGuard:{p.Name}"));

        // A list's items (BlockedSourcePorts:0, :1) are one setting.
        IEnumerable<string> covered = EverySetting.Keys.Select(key => ListItem().Replace(key["EchoServer:".Length..], ""));

        Assert.Equal(options.Order(StringComparer.Ordinal), covered.Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Address_IsTheOneTheServerListensOn()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        using IHost host = TestHosts.Build(new() { ["EchoServer:Address"] = "127.0.0.1", ["EchoServer:Port"] = "0" });

        await host.StartAsync(timeout.Token);

        EchoServer server = host.Services.GetRequiredService<EchoServerHostedService>().Server!;
        Assert.Equal(IPAddress.Loopback, server.LocalEndPoint.Address);
        using (Socket client = await Loopback.ConnectAsync(server, timeout.Token))
        {
            Assert.Equal("bound"u8.ToArray(), await Loopback.EchoToEndAsync(client, "bound"u8.ToArray(), timeout.Token));
        }

        await host.StopAsync(timeout.Token);
    }

    [Fact]
    public async Task UnixSocketPath_IsTheSocketTheServerListensOn()
    {
        using CancellationTokenSource timeout = Loopback.TimeoutSource();
        using var socketPath = new UnixSocketPath();
        using IHost host = TestHosts.Build(new() { ["EchoServer:Transports"] = "unix", ["EchoServer:UnixSocketPath"] = socketPath.Path });

        await host.StartAsync(timeout.Token);

        using (Socket client = await socketPath.ConnectAsync(timeout.Token))
        {
            Assert.Equal("configured"u8.ToArray(), await Loopback.EchoToEndAsync(client, "configured"u8.ToArray(), timeout.Token));
        }

        await host.StopAsync(timeout.Token);
        Assert.False(File.Exists(socketPath.Path), "The socket file is removed when the host stops.");
    }

    [Theory]
    [InlineData("Port", "abc", "a whole number")]
    [InlineData("Port", "", "a whole number")]
    [InlineData("Transports", "Tcp|Udp", "Tcp, Udp, both (\"Tcp, Udp\") or Unix")]
    [InlineData("Model", "Fastest", "one of Async, Iterative, Select, ThreadPerClient, EventLoop (or empty for none)")]
    [InlineData("ReuseAddress", "yes", "true or false")]
    [InlineData("IdleTimeout", "5 minutes", "a time span as [d.]hh:mm:ss[.fffffff]")]
    [InlineData("Address", "localhost", "an IP address such as 127.0.0.1 or ::1")]
    [InlineData("UdpGuard:PerSourceBurst", "many", "a whole number")]
    [InlineData("UdpGuard:BlockedSourcePorts:1", "echo", "a whole number")]
    public async Task UnreadableValue_FailsTheStart_NamingTheSettingAndWhatItTakes(string setting, string value, string allowed)
    {
        using IHost host = TestHosts.Build(new() { [$"EchoServer:{setting}"] = value });

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Token));

        Assert.StartsWith($"EchoServer:{setting}: '{value}' is not {allowed}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownKey_FailsTheStart_ListingTheSettings()
    {
        using IHost host = TestHosts.Build(new() { ["EchoServer:Prot"] = "7777" });

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Token));

        Assert.StartsWith("EchoServer:Prot is not a setting of the echo server. The settings are Transports, Model,", error.Message, StringComparison.Ordinal);
        Assert.Contains(", Port, ", error.Message, StringComparison.Ordinal);
        Assert.Contains("UdpGuard:PerSourceBurst", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeveralBadSettings_AreAllNamed()
    {
        using IHost host = TestHosts.Build(new() { ["EchoServer:Port"] = "seven", ["EchoServer:Backlog"] = "lots", ["EchoServer:Port2"] = "1" });

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Token));

        Assert.Equal(3, error.Failures.Count());
        Assert.Contains("EchoServer:Port: 'seven' is not a whole number.", error.Failures);
        Assert.Contains("EchoServer:Backlog: 'lots' is not a whole number.", error.Failures);
        Assert.Contains(error.Failures, failure => failure.StartsWith("EchoServer:Port2 is not a setting", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Port:0", "1", "EchoServer:Port takes one value, not a section of its own.")]
    [InlineData("UdpGuard", "off", "EchoServer:UdpGuard: 'off' is not a value it takes: it is a group of settings (Enabled, BlockedSourcePorts, PerSourceDatagramsPerSecond, PerSourceBurst, GlobalDatagramsPerSecond, RateLimitLoopback).")]
    [InlineData("UdpGuard:BlockedSourcePorts", "53", "EchoServer:UdpGuard:BlockedSourcePorts: '53' is not a list: give each item its own key (EchoServer:UdpGuard:BlockedSourcePorts:0, EchoServer:UdpGuard:BlockedSourcePorts:1, …), or a JSON array.")]
    public async Task ValueOfTheWrongShape_FailsTheStart_SayingWhatShapeItTakes(string key, string value, string failure)
    {
        using IHost host = TestHosts.Build(new() { [$"EchoServer:{key}"] = value });

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Token));

        Assert.Equal([failure], error.Failures);
    }

    [Fact]
    public async Task NestedOptionOutOfRange_IsNamedByItsPath()
    {
        using IHost host = TestHosts.Build(new() { ["EchoServer:UdpGuard:PerSourceBurst"] = "0" });

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Token));

        Assert.StartsWith("EchoServer:UdpGuard:PerSourceBurst: PerSourceBurst must be at least 1.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failures_NameTheSectionTheAppBound()
    {
        using IHost host = TestHosts.Build(new() { ["Echo:Port"] = "x", ["EchoServer:Port"] = "y" }, section: "Echo");

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Token));

        Assert.Equal(["Echo:Port: 'x' is not a whole number."], error.Failures);
    }

    [Fact]
    public void EmptyBlockedSourcePorts_BlocksNone()
    {
        using IHost host = TestHosts.Build(new() { ["EchoServer:UdpGuard:BlockedSourcePorts"] = "" });

        Assert.Empty(host.Services.GetRequiredService<IOptions<EchoServerOptions>>().Value.UdpGuard.BlockedSourcePorts);
    }

    [Fact]
    public void KeyWithoutAValue_LeavesTheDefault()
    {
        using IHost host = TestHosts.Build(new() { ["EchoServer:Port"] = null, ["EchoServer:SendStallTimeout"] = null });

        EchoServerOptions options = host.Services.GetRequiredService<IOptions<EchoServerOptions>>().Value;

        Assert.Equal((7777, TimeSpan.FromSeconds(60)), (options.Port, options.SendStallTimeout));
    }

    [GeneratedRegex(@":\d+$")]
    private static partial Regex ListItem();
}
