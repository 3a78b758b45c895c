using System.Globalization;
using System.Runtime.InteropServices;
using EchoNet;

namespace EchoNet.Samples;

/// <summary>
/// What every server sample shares: the port from the first argument (default 7777, 0 = ephemeral), one
/// "Listening on" line per bound endpoint, and a graceful stop on Ctrl+C or SIGTERM.
/// </summary>
internal static class ServerSample
{
    public static async Task<int> RunAsync(string[] args, Func<EchoServerBuilder, EchoServerBuilder> configure)
    {
        int port = 7777;
        if (args.Length > 0 && (!int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535))
        {
            await Console.Error.WriteLineAsync($"'{args[0]}' is not a port: give a number from 0 (ephemeral) to 65535.");
            return 2;
        }

        EchoServer server;
        try
        {
            server = configure(new EchoServerBuilder()).Listen(port);
        }
        catch (EchoBindException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }

        await using (server)
        {
            using var stop = new CancellationTokenSource();
            void OnSignal(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.Cancel();
            }

            // Handlers first: whoever reads the listening line may send SIGTERM at once.
            using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
            foreach (EchoBinding binding in server.Bindings)
            {
                Console.WriteLine($"Listening on {Describe(binding, server)}");
            }

            try
            {
                // Serves until a signal, then drains for the server's ShutdownTimeout (5 s).
                await server.RunAsync(stop.Token);
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException)
            {
                await Console.Error.WriteLineAsync($"The server failed: {e.Message}");
                return 1;
            }
        }

        return 0;
    }

    /// <summary>The endpoint, its transport and what serves it, as in <c>[::]:7777 (TCP, Select)</c>.</summary>
    public static string Describe(EchoBinding binding, EchoServer server) => binding.Transport == EchoTransports.Udp
        ? $"{binding.EndPoint} (UDP, datagrams)"
        : $"{binding.EndPoint} (TCP, {server.Model})";
}
