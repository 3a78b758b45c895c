using System.Net;
using System.Net.Sockets;

namespace EchoNet.Soak;

/// <summary>
/// The UDP load: datagrams of random size (mostly small, sometimes the largest IPv4 allows), each answered by the
/// same bytes. A lost answer is counted as a timeout, and the socket is replaced so a late one cannot be mistaken
/// for the next.
/// </summary>
internal sealed class UdpScenario(IPEndPoint server) : IDisposable
{
    public const string Name = "udp datagram";
    private const int MaxIPv4Datagram = 65_507;
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(1);

    private readonly byte[] _answer = new byte[MaxIPv4Datagram + 1];
    private Socket _socket = Open(server);

    /// <summary>Sends one datagram and checks its answer; returns how many bytes it verified.</summary>
    public async Task<long> RunAsync(Random random, CancellationToken cancellationToken)
    {
        int size = random.Next(100) == 0 ? MaxIPv4Datagram : random.Next(0, 2049);
        byte[] datagram = new byte[size];
        random.NextBytes(datagram);
        await _socket.SendAsync(datagram, SocketFlags.None, cancellationToken);

        using var answerTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        answerTimeout.CancelAfter(AnswerTimeout);
        int received;
        try
        {
            received = await _socket.ReceiveAsync(_answer, SocketFlags.None, answerTimeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _socket.Dispose();
            _socket = Open(server);
            throw new TimeoutException("No answer within a second.");
        }

        if (!_answer.AsSpan(0, received).SequenceEqual(datagram))
        {
            throw new EchoMismatchException($"Sent a {size}-byte datagram, got back {received} bytes that differ.");
        }

        return size;
    }

    public void Dispose() => _socket.Dispose();

    private static Socket Open(IPEndPoint server)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(server);
        return socket;
    }
}
