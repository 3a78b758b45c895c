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

    public static async Task<byte[]> RunAsync(string program, IEnumerable<string> arguments, byte[] input, CancellationToken cancellationToken)
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
            Task<byte[]> output = ReadAllAsync(process.StandardOutput.BaseStream, cancellationToken);
            Task<string> errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.StandardInput.BaseStream.WriteAsync(input, cancellationToken);
            process.StandardInput.Close();
            await process.WaitForExitAsync(cancellationToken);
            Assert.True(process.ExitCode == 0, $"{program} exited with {process.ExitCode}: {await errors}");
            return await output;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
