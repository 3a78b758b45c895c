using System.Net.Security;
using System.Net.Sockets;

namespace EchoNet.Load;

/// <summary>Opens the TCP (or Unix socket) connections of a bench run, a bounded number at a time, each with a timeout.</summary>
internal static class TcpConnector
{
    private const int ConnectConcurrency = 256;

    /// <summary>
    /// Connects without the runtime's async machinery, for the epoll loop: a socket that made one async call stays
    /// registered with the runtime's own epoll thread, which then wakes for every echo too and doubles the cost.
    /// Non-blocking connects start a batch at a time; each then waits for writability with <c>poll</c>.
    /// </summary>
    /// <returns>The connected sockets, non-blocking; the failures are counted in <paramref name="failures"/>.</returns>
    public static Task<Socket[]> ConnectAllWithoutAsyncAsync(BenchSettings settings, BenchCounters failures, CancellationToken stop) =>
        Task.Run(() => ConnectAllWithoutAsync(settings, failures, stop), stop);

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

    /// <summary>
    /// Runs the TLS handshake on each connected socket, a bounded number at a time, each within the connect timeout;
    /// a failed handshake is counted as a failed connect and its socket closed.
    /// </summary>
    public static async Task<(Socket, SslStream)[]> HandshakeAllAsync(Socket[] sockets, SslClientAuthenticationOptions tls, BenchSettings settings, BenchCounters failures, CancellationToken stop)
    {
        using var slots = new SemaphoreSlim(ConnectConcurrency);
        (Socket, SslStream)?[] sessions = await Task.WhenAll(sockets.Select(async socket =>
        {
            await slots.WaitAsync(stop).ConfigureAwait(false);
            var stream = new SslStream(new NetworkStream(socket, ownsSocket: true));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            timeout.CancelAfter(settings.ConnectTimeout);
            try
            {
                await stream.AuthenticateAsClientAsync(tls, timeout.Token).ConfigureAwait(false);
                return ((Socket, SslStream)?)(socket, stream);
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException || (e is OperationCanceledException && !stop.IsCancellationRequested))
            {
                await stream.DisposeAsync().ConfigureAwait(false);
                lock (failures)
                {
                    failures.ConnectFailures++;
                }

                return null;
            }
            finally
            {
                slots.Release();
            }
        })).ConfigureAwait(false);
        return [.. sessions.OfType<(Socket, SslStream)>()];
    }

    /// <summary>A stream socket for the target: TCP with Nagle off, or a Unix socket, which has no Nagle.</summary>
    private static Socket Open(BenchSettings settings) => settings.Target.AddressFamily == AddressFamily.Unix
        ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
        : new Socket(settings.Target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

    private static Socket[] ConnectAllWithoutAsync(BenchSettings settings, BenchCounters failures, CancellationToken stop)
    {
        var connected = new List<Socket>(settings.Connections);
        for (int first = 0; first < settings.Connections; first += ConnectConcurrency)
        {
            stop.ThrowIfCancellationRequested();
            int count = Math.Min(ConnectConcurrency, settings.Connections - first);
            var pending = new List<Socket>(count);
            for (int i = 0; i < count; i++)
            {
                Socket socket = Open(settings);
                socket.Blocking = false;
                try
                {
                    socket.Connect(settings.Target);
                    connected.Add(socket);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
                {
                    pending.Add(socket);
                }
                catch (SocketException)
                {
                    socket.Dispose();
                    failures.ConnectFailures++;
                }
            }

            long deadline = Environment.TickCount64 + (long)settings.ConnectTimeout.TotalMilliseconds;
            foreach (Socket socket in pending)
            {
                int waitMicroseconds = (int)Math.Clamp((deadline - Environment.TickCount64) * 1000, 0, int.MaxValue);
                bool writable = socket.Poll(waitMicroseconds, SelectMode.SelectWrite);
                if (writable && (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)! == 0)
                {
                    connected.Add(socket);
                }
                else
                {
                    socket.Dispose();
                    failures.ConnectFailures++;
                }
            }
        }

        return [.. connected];
    }

    private static async Task<Socket?> ConnectAsync(BenchSettings settings, BenchCounters failures, CancellationToken stop)
    {
        Socket socket = Open(settings);
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
