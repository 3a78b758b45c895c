using System.Globalization;
using System.Net;

namespace EchoNet.Soak;

/// <summary>What to load, for how long, from the command line: <c>--tcp-port N --udp-port N --duration S ...</c>.</summary>
internal sealed record SoakOptions
{
    public IPAddress Host { get; init; } = IPAddress.Loopback;

    /// <summary>Gets the TCP echo port, or 0 for no TCP load.</summary>
    public int TcpPort { get; init; }

    /// <summary>Gets the UDP echo port, or 0 for no UDP load.</summary>
    public int UdpPort { get; init; }

    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(10);

    public int TcpWorkers { get; init; } = 16;

    public int UdpWorkers { get; init; } = 2;

    /// <summary>Gets the long-lived connections of the steady load (the load engine's), or 0 for none.</summary>
    public int SteadyConnections { get; init; } = 8;

    /// <summary>Gets the messages per second, over all its connections, of the steady load's open loop.</summary>
    public int SteadyRate { get; init; } = 2_000;

    /// <summary>Gets the bound on any one wait of a scenario: a server that stops answering turns into counted timeouts.</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public const string Usage =
        "usage: EchoNet.Soak [--host ADDRESS] [--tcp-port N] [--udp-port N] [--duration SECONDS] [--tcp-workers N] [--udp-workers N] [--steady-connections N] [--steady-rate N] [--op-timeout SECONDS]";

    public static SoakOptions Parse(string[] args)
    {
        var options = new SoakOptions();
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            string value = args[i + 1];
            options = args[i] switch
            {
                "--host" => options with { Host = IPAddress.Parse(value) },
                "--tcp-port" => options with { TcpPort = Number(value) },
                "--udp-port" => options with { UdpPort = Number(value) },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(Number(value)) },
                "--tcp-workers" => options with { TcpWorkers = Number(value) },
                "--udp-workers" => options with { UdpWorkers = Number(value) },
                "--steady-connections" => options with { SteadyConnections = Number(value) },
                "--steady-rate" => options with { SteadyRate = Number(value) },
                "--op-timeout" => options with { OperationTimeout = TimeSpan.FromSeconds(Number(value)) },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'. {Usage}"),
            };
        }

        if (args.Length % 2 != 0 || (options.TcpPort == 0 && options.UdpPort == 0) || options.SteadyRate < 1)
        {
            throw new ArgumentException(Usage);
        }

        return options;
    }

    private static int Number(string value) => int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
}
