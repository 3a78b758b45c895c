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
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(timeoutName, timeout, "The timeout must be positive, or Timeout.InfiniteTimeSpan.");
        }
    }
}
