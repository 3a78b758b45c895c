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
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

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
            var stopRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnSignal(PosixSignalContext context)
            {
                context.Cancel = true;
                stopRequested.TrySetResult();
            }

            // Handlers first: whoever reads the listening line may send SIGTERM at once.
            using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

            string kind = server.Model is { } model ? $"{model}" : "datagrams";
            for (int i = 0; i < server.LocalEndPoints.Count; i++)
            {
                string transport = server.LocalEndPoints.Count > 1 ? (i == 0 ? "TCP" : "UDP") : server.Transports.ToString().ToUpperInvariant();
                Console.WriteLine($"Listening on {server.LocalEndPoints[i]} ({transport}, {kind})");
            }

            await Task.WhenAny(stopRequested.Task, server.Completion);
            await server.StopAsync(DrainTimeout);
            try
            {
                await server.Completion;
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException)
            {
                await Console.Error.WriteLineAsync($"The server failed: {e.Message}");
                return 1;
            }
        }

        return 0;
    }
}
