using System.Globalization;

namespace EchoNet.Cli.Commands;

/// <summary><c>serve --stats</c>: one line a second of what the server did in that second, read from <see cref="EchoServer.Statistics"/>.</summary>
internal static class LiveStatistics
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public static async Task PrintAsync(EchoServer server, TextWriter output, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval);
        EchoServerStatistics last = server.Statistics;
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            EchoServerStatistics now = server.Statistics;
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"stats: {now.ActiveConnections} open, {now.AcceptedConnections - last.AcceptedConnections} accepted/s, " +
                $"{now.RejectedConnections - last.RejectedConnections} refused/s, {(now.BytesReceived - last.BytesReceived) / 1e6:F2} MB/s in, " +
                $"{(now.BytesSent - last.BytesSent) / 1e6:F2} MB/s out, {now.DatagramsReceived - last.DatagramsReceived} datagrams/s, " +
                $"{now.DatagramsDropped - last.DatagramsDropped} dropped/s"));
            last = now;
        }
    }
}
