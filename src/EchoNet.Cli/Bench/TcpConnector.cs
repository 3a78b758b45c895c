using System.Net.Sockets;

namespace EchoNet.Cli.Bench;

/// <summary>Opens the TCP connections of a bench run, a bounded number at a time, each with a timeout.</summary>
internal static class TcpConnector
{
    private const int ConnectConcurrency = 256;

    /// <summary>The connected sockets, in no particular order; the failures are counted in <paramref name="failures"/>.</summary>
    public static async Task<Socket[]> ConnectAllAsync(BenchSettings settings, BenchCounters failures, CancellationToken stop)
    {
        using var slots = new SemaphoreSlim(ConnectConcurrency);
        Task<Socket?>[] connecting = [.. Enumerable.Range(0, settings.Connections).Select(async _ =>
        {
            await slots.WaitAsync(stop).ConfigureAwait(false);
            try
            {
                return await ConnectAsync(settings, failures, stop).ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
            }
        })];
        Socket?[] sockets = await Task.WhenAll(connecting).ConfigureAwait(false);
        return [.. sockets.OfType<Socket>()];
    }

    private static async Task<Socket?> ConnectAsync(BenchSettings settings, BenchCounters failures, CancellationToken stop)
    {
        var socket = new Socket(settings.Target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(settings.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(settings.Target, timeout.Token).ConfigureAwait(false);
            return socket;
        }
        catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !stop.IsCancellationRequested))
        {
            socket.Dispose();
            lock (failures)
            {
                failures.ConnectFailures++;
            }

            return null;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
