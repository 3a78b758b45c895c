namespace EchoNet.Hosting.Configuration;

/// <summary>Every setting the <c>EchoServer</c> section accepts: the options a string can say (not the clock or the logger and meter factories, which are set in code).</summary>
internal static class EchoServerSettings
{
    public static IReadOnlyList<EchoServerSetting> All { get; } =
    [
        EchoServerSetting.Of("Transports", SettingValues.Enum<EchoTransports>("Tcp, Udp, both (\"Tcp, Udp\") or Unix"), (o, v) => o.Transports = v),
        EchoServerSetting.Of("Model", SettingValues.OrEmpty(SettingValues.Enum<EchoConcurrencyModel>()), (o, v) => o.Model = v),
        EchoServerSetting.Of("EventLoopBackend", SettingValues.Enum<EchoEventLoopBackend>(), (o, v) => o.EventLoopBackend = v),
        EchoServerSetting.Of("EventLoops", SettingValues.OrEmpty(SettingValues.Int32), (o, v) => o.EventLoops = v),
        EchoServerSetting.Of("UnixSocketPath", SettingValues.PathOrEmpty, (o, v) => o.UnixSocketPath = v),
        EchoServerSetting.Of("Address", SettingValues.Address, (o, v) => o.Address = v),
        EchoServerSetting.Of("Port", SettingValues.Int32, (o, v) => o.Port = v),
        EchoServerSetting.Of("ReuseAddress", SettingValues.Boolean, (o, v) => o.ReuseAddress = v),
        EchoServerSetting.Of("PortSharing", SettingValues.Boolean, (o, v) => o.PortSharing = v),
        EchoServerSetting.Of("Backlog", SettingValues.Int32, (o, v) => o.Backlog = v),
        EchoServerSetting.Of("ReadSize", SettingValues.Int32, (o, v) => o.ReadSize = v),
        EchoServerSetting.Of("MaxOwedBytes", SettingValues.Int32, (o, v) => o.MaxOwedBytes = v),
        EchoServerSetting.Of("MaxConnections", SettingValues.OrEmpty(SettingValues.Int32), (o, v) => o.MaxConnections = v),
        EchoServerSetting.Of("MaxConnectionsPerSource", SettingValues.OrEmpty(SettingValues.Int32), (o, v) => o.MaxConnectionsPerSource = v),
        EchoServerSetting.Of("IdleTimeout", SettingValues.OrEmpty(SettingValues.TimeSpan), (o, v) => o.IdleTimeout = v),
        EchoServerSetting.Of("SendStallTimeout", SettingValues.OrEmpty(SettingValues.TimeSpan), (o, v) => o.SendStallTimeout = v),
        EchoServerSetting.Of("ShutdownTimeout", SettingValues.TimeSpan, (o, v) => o.ShutdownTimeout = v),
        EchoServerSetting.Of("TlsHandshakeTimeout", SettingValues.TimeSpan, (o, v) => o.TlsHandshakeTimeout = v),
        EchoServerSetting.Of("UdpGuard:Enabled", SettingValues.Boolean, (o, v) => o.UdpGuard.Enabled = v),
        EchoServerSetting.ListOf("UdpGuard:BlockedSourcePorts", SettingValues.Int32, (o, ports) =>
        {
            o.UdpGuard.BlockedSourcePorts.Clear();
            o.UdpGuard.BlockedSourcePorts.UnionWith(ports);
        }),
        EchoServerSetting.Of("UdpGuard:PerSourceDatagramsPerSecond", SettingValues.OrEmpty(SettingValues.Int32), (o, v) => o.UdpGuard.PerSourceDatagramsPerSecond = v),
        EchoServerSetting.Of("UdpGuard:PerSourceBurst", SettingValues.Int32, (o, v) => o.UdpGuard.PerSourceBurst = v),
        EchoServerSetting.Of("UdpGuard:GlobalDatagramsPerSecond", SettingValues.OrEmpty(SettingValues.Int32), (o, v) => o.UdpGuard.GlobalDatagramsPerSecond = v),
        EchoServerSetting.Of("UdpGuard:RateLimitLoopback", SettingValues.Boolean, (o, v) => o.UdpGuard.RateLimitLoopback = v),
    ];

    /// <summary>Gets the path within the section of the option an <see cref="ArgumentException.ParamName"/> names (<c>PerSourceBurst</c> is <c>UdpGuard:PerSourceBurst</c>).</summary>
    public static string PathOf(string optionName)
        => All.FirstOrDefault(setting => string.Equals(setting.Name, optionName, StringComparison.Ordinal))?.Path ?? optionName;
}
