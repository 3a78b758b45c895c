using System.Diagnostics;

namespace EchoNet.Tests.Support;

/// <summary>
/// Runs a client program nobody here wrote (nc, socat, python3) with bytes on its standard input, and returns what
/// it printed. The process is killed, by its own handle, if it outlives the timeout.
/// </summary>
internal static class ExternalClient
{
    /// <summary>A Python client that sends stdin, half-closes, and prints everything the server sends back.</summary>
    public const string PythonTcpClient = """
        import socket, sys, threading
        s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=20)
        data = sys.stdin.buffer.read()
        out = bytearray()
        def read():
            while chunk := s.recv(65536):
                out.extend(chunk)
        reader = threading.Thread(target=read)
        reader.start()
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        reader.join()
        sys.stdout.buffer.write(out)
        """;

    /// <summary>A Python client that sends stdin as one UDP datagram and prints the one that comes back.</summary>
    public const string PythonUdpClient = """
        import socket, sys
        s = socket.socket(socket.AF_INET6 if ':' in sys.argv[1] else socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(10)
        s.connect((sys.argv[1], int(sys.argv[2])))
        s.send(sys.stdin.buffer.read())
        sys.stdout.buffer.write(s.recv(65536))
        """;

    /// <summary>
    /// A Python client over TLS: verifies the server against the CA file it is given (argv[3]) for the name localhost,
    /// sends stdin, reads its echo, then unwraps: sends close_notify and waits for the server's, which fails if the server
    /// closes without one.
    /// </summary>
    public const string PythonTlsClient = """
        import socket, ssl, sys
        context = ssl.create_default_context(cafile=sys.argv[3])
        s = context.wrap_socket(socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=20), server_hostname="localhost")
        data = sys.stdin.buffer.read()
        s.sendall(data)
        out = bytearray()
        while len(out) < len(data):
            chunk = s.recv(65536)
            if not chunk:
                break
            out.extend(chunk)
        s.unwrap().close()
        sys.stdout.buffer.write(out)
        """;

    public static Task<byte[]> RunAsync(string program, IEnumerable<string> arguments, byte[] input, CancellationToken cancellationToken) =>
        RunAsync(program, arguments, input, closeInputAfter: 0, cancellationToken);

    /// <summary>
    /// Runs a client that ends when its standard input does, as <see cref="RunAsync(string, IEnumerable{string}, byte[], CancellationToken)"/>
    /// does, but keeps its input open until <paramref name="closeInputAfter"/> bytes have come out: a TLS client such as
    /// <c>openssl s_client</c> closes the whole session at the end of its input, so the end must wait for the echo.
    /// </summary>
    public static async Task<byte[]> RunAsync(string program, IEnumerable<string> arguments, byte[] input, int closeInputAfter, CancellationToken cancellationToken)
    {
        (int exitCode, byte[] output, string errors) = await RunToExitAsync(program, arguments, input, closeInputAfter, cancellationToken);
        Assert.True(exitCode == 0, $"{program} exited with {exitCode}: {errors}");
        return output;
    }

    /// <summary>Runs a client as <see cref="RunAsync(string, IEnumerable{string}, byte[], int, CancellationToken)"/> does, for a test that expects it to fail: its exit code and what it wrote.</summary>
    public static async Task<(int ExitCode, byte[] Output, string Errors)> RunToExitAsync(
        string program, IEnumerable<string> arguments, byte[] input, int closeInputAfter, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        try
        {
            using var enough = new SemaphoreSlim(0);
            Task<byte[]> output = ReadAllAsync(process.StandardOutput.BaseStream, closeInputAfter, enough, cancellationToken);
            Task<string> errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.StandardInput.BaseStream.WriteAsync(input, cancellationToken);
            await process.StandardInput.BaseStream.FlushAsync(cancellationToken);
            if (closeInputAfter > 0)
            {
                await Task.WhenAny(enough.WaitAsync(cancellationToken), output);
            }

            process.StandardInput.Close();
            await process.WaitForExitAsync(cancellationToken);
            return (process.ExitCode, await output, await errors);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>Reads the stream to its end; <paramref name="enough"/> is released once <paramref name="enoughAt"/> bytes (if more than 0) are in.</summary>
    private static async Task<byte[]> ReadAllAsync(Stream stream, int enoughAt, SemaphoreSlim enough, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[65_536];
        bool told = false;
        while (await stream.ReadAsync(chunk, cancellationToken) is > 0 and int count)
        {
            buffer.Write(chunk, 0, count);
            if (!told && enoughAt > 0 && buffer.Length >= enoughAt)
            {
                told = true;
                enough.Release();
            }
        }

        return buffer.ToArray();
    }
}
