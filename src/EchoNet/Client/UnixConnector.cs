using System.Net.Sockets;

namespace EchoNet.Client;

/// <summary>Opens a connection to a Unix domain socket within a timeout.</summary>
internal static class UnixConnector
{
    public static async Task<Socket> ConnectAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), deadline.Token).ConfigureAwait(false);
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw EchoConnectException.ForUnixSocket(e, path);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw EchoConnectException.UnixTimedOut(path, timeout);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
