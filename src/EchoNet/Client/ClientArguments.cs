using System.Net;

namespace EchoNet.Client;

/// <summary>The checks both clients make on what they are asked to reach, before any name is resolved.</summary>
internal static class ClientArguments
{
    public static void Validate(string host, int port, TimeSpan timeout, string timeoutName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, IPEndPoint.MinPort + 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        ValidateTimeout(timeout, timeoutName);
    }

    public static void ValidateUnix(string path, TimeSpan timeout, string timeoutName)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        int bytes = System.Text.Encoding.UTF8.GetByteCount(path);
        if (bytes > EchoServerOptions.MaxUnixSocketPathBytes)
        {
            throw new ArgumentOutOfRangeException(
                nameof(path), path, $"The path is {bytes} bytes long, and a Unix socket path holds at most {EchoServerOptions.MaxUnixSocketPathBytes}. Use a shorter path to the socket (a relative one, or a link to it in a nearer folder).");
        }

        ValidateTimeout(timeout, timeoutName);
    }

    private static void ValidateTimeout(TimeSpan timeout, string timeoutName)
    {
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(timeoutName, timeout, "The timeout must be positive, or Timeout.InfiniteTimeSpan.");
        }
    }
}
