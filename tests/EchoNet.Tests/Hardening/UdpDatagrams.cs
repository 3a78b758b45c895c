using System.Net.Sockets;

namespace EchoNet.Tests.Hardening;

/// <summary>Client-side datagram helpers for the guard tests; every wait is bounded.</summary>
internal static class UdpDatagrams
{
    /// <summary>How long a test waits to conclude that no answer is coming: loopback answers in well under this.</summary>
    public static readonly TimeSpan Silence = TimeSpan.FromMilliseconds(300);

    /// <summary>Sends one datagram and waits for the answer.</summary>
    public static async Task<byte[]> RoundTripAsync(Socket client, byte[] payload, CancellationToken cancellationToken)
    {
        await client.SendAsync(payload, SocketFlags.None, cancellationToken);
        byte[] buffer = new byte[65_536];
        int received = await client.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
        return buffer[..received];
    }

    /// <summary>
    /// Sends a datagram until it is answered, waiting <see cref="Silence"/> for each answer: for a source whose
    /// datagram may be lost to a full receive queue while another source floods the server.
    /// </summary>
    public static async Task<byte[]> RoundTripWithRetriesAsync(Socket client, byte[] payload, int tries, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            quiet.CancelAfter(Silence);
            try
            {
                return await RoundTripAsync(client, payload, quiet.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && attempt < tries)
            {
                // Not answered yet: send again.
            }
        }
    }

    /// <summary>Waits <see cref="Silence"/> for a datagram; null when none came.</summary>
    public static async Task<byte[]?> TryReceiveAsync(Socket client, CancellationToken cancellationToken)
    {
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        quiet.CancelAfter(Silence);
        byte[] buffer = new byte[65_536];
        try
        {
            int received = await client.ReceiveAsync(buffer, SocketFlags.None, quiet.Token);
            return buffer[..received];
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Receives answers until none has come for <see cref="Silence"/>, and returns them.</summary>
    public static async Task<List<byte[]>> ReceiveUntilSilentAsync(Socket client, CancellationToken cancellationToken)
    {
        var answers = new List<byte[]>();
        while (await TryReceiveAsync(client, cancellationToken) is byte[] answer)
        {
            answers.Add(answer);
        }

        return answers;
    }
}
