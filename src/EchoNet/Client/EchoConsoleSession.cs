using System.Buffers;
using EchoNet.Client;

namespace EchoNet;

/// <summary>
/// The interactive echo client of the course: reads lines from a <see cref="TextReader"/>, sends each with its
/// newline, and writes the echo to a <see cref="TextWriter"/> as it arrives. An empty line or the end of the input
/// ends the session: the client half-closes, writes the echo still owed, and returns once the server has closed.
/// </summary>
/// <remarks>
/// Reading the input and writing the echo run concurrently, so a paste or a pipe of any size never deadlocks against
/// the echo. Lines are sent as UTF-8 ending in <c>\n</c>; the echo is decoded as UTF-8 statefully (a character split
/// across two reads comes out whole) and leniently (invalid bytes come out as U+FFFD). Only the echo is written to
/// the output. The session streams, so it takes a TCP <see cref="EchoClient"/>; over UDP, where nothing streams or
/// half-closes, each line is one <see cref="EchoUdpClient.EchoAsync(string, CancellationToken)"/>.
/// </remarks>
/// <example>
/// <code>
/// await using EchoClient client = await EchoClient.ConnectAsync("localhost", 7777);
/// await new EchoConsoleSession(client, Console.In, Console.Out).RunAsync();
/// </code>
/// </example>
public sealed class EchoConsoleSession
{
    private const int ReceiveSize = 16 * 1024;

    private readonly EchoClient _client;
    private readonly TextReader _input;
    private readonly TextWriter _output;
    private volatile bool _inputEnded;
    private int _started;

    /// <summary>Initializes a session over a connected client.</summary>
    /// <param name="client">A client from <see cref="EchoClient.ConnectAsync(string, int, TimeSpan?, CancellationToken)"/>; the session does not dispose it.</param>
    /// <param name="input">The lines to send, such as <see cref="Console.In"/>.</param>
    /// <param name="output">Where the echo is written, such as <see cref="Console.Out"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public EchoConsoleSession(EchoClient client, TextReader input, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        _client = client;
        _input = input;
        _output = output;
    }

    /// <summary>Runs the session until the input ends (or an empty line) and every echoed byte is written.</summary>
    /// <param name="cancellationToken">Stops the session; the connection is then out of step.</param>
    /// <returns>A task that completes when the server has closed the connection after the last echo.</returns>
    /// <exception cref="IOException">The server closed the connection before the input ended, or reset it.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="InvalidOperationException">The session was already run.</exception>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("A session runs once; create a new EchoConsoleSession (and client) for another.");
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // The input may block (a console, a pipe), so it is read on a thread pool thread of its own.
        Task sending = Task.Run(() => SendLinesAsync(stop.Token), CancellationToken.None);
        Task printing = PrintEchoAsync(stop.Token);
        await Task.WhenAny(sending, printing).ConfigureAwait(false);
        if (printing.IsCompleted && !_inputEnded)
        {
            // The echo ended first: the server closed (or failed) while input was still coming.
            await stop.CancelAsync().ConfigureAwait(false);
            _ = sending.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            await printing.ConfigureAwait(false);
            throw new IOException($"The server at {_client.Server} closed the connection before the input ended.");
        }

        try
        {
            await sending.ConfigureAwait(false);
        }
        catch
        {
            // Sending failed (a reset, a broken input): stop waiting for an echo that will not come.
            await stop.CancelAsync().ConfigureAwait(false);
            await printing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        await printing.ConfigureAwait(false);
    }

    private async Task SendLinesAsync(CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1024);
        try
        {
            while (await _input.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { Length: > 0 } line)
            {
                int needed = WireText.Utf8.GetMaxByteCount(line.Length + 1);
                if (needed > buffer.Length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(needed);
                }

                int length = WireText.Utf8.GetBytes(line, buffer);
                buffer[length++] = (byte)'\n';
                await _client.SendAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            }

            // Set before the half-close: the server's close, and the end of the echo, may follow at once.
            _inputEnded = true;
            await _client.CompleteSendingAsync().ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task PrintEchoAsync(CancellationToken cancellationToken)
    {
        var decoder = new Utf8TextDecoder();
        byte[] buffer = new byte[ReceiveSize];
        int received;
        do
        {
            received = await _client.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            ReadOnlyMemory<char> text = decoder.Decode(buffer.AsSpan(0, received), final: received == 0);
            if (!text.IsEmpty)
            {
                await _output.WriteAsync(text, cancellationToken).ConfigureAwait(false);
                await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        while (received > 0);
    }
}
