using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Channels;

namespace EchoNet.Cli.Tests.Cli;

/// <summary>
/// The echonet tool run as a real process from this test's output folder, its output read line by line as it
/// comes. Disposing kills it (by its own PID) if it is still running.
/// </summary>
internal sealed partial class EchonetProcess : IDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly Channel<string> _stdoutLines = Channel.CreateUnbounded<string>();
    private readonly Channel<string> _stderrLines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _readingStdout;
    private readonly Task _readingStderr;

    private EchonetProcess(Process process)
    {
        _process = process;
        _readingStdout = PumpAsync(process.StandardOutput, _stdout, _stdoutLines.Writer);
        _readingStderr = PumpAsync(process.StandardError, _stderr, _stderrLines.Writer);
    }

    /// <summary>Gets the process's ID, to read what the kernel says of it.</summary>
    public int Id => _process.Id;

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static EchonetProcess Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "EchoNet.Cli.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new EchonetProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."));
    }

    /// <summary>Runs the tool to its end and returns its exit code; the output is then in <see cref="Stdout"/> and <see cref="Stderr"/>.</summary>
    public static async Task<(int ExitCode, EchonetProcess Process)> RunAsync(params string[] arguments)
    {
        EchonetProcess process = Start(arguments);
        try
        {
            int exitCode = await process.WaitForExitAsync(TestTimeouts.Run);
            return (exitCode, process);
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>Writes <paramref name="input"/> to the tool's standard input and closes it.</summary>
    public async Task WriteInputAndCloseAsync(string input)
    {
        await _process.StandardInput.WriteAsync(input);
        _process.StandardInput.Close();
    }

    /// <summary>The first stdout line that starts with <paramref name="prefix"/>.</summary>
    public Task<string> ReadLineStartingWithAsync(string prefix, TimeSpan timeout) =>
        ReadLineAsync(_stdoutLines.Reader, line => line.StartsWith(prefix, StringComparison.Ordinal), $"No stdout line starting with '{prefix}'", timeout);

    /// <summary>The first stderr line that contains <paramref name="text"/>.</summary>
    public Task<string> ReadErrorLineContainingAsync(string text, TimeSpan timeout) =>
        ReadLineAsync(_stderrLines.Reader, line => line.Contains(text, StringComparison.Ordinal), $"No stderr line containing '{text}'", timeout);

    public void Terminate()
    {
        if (Kill(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        await Task.WhenAll(_readingStdout, _readingStderr).WaitAsync(timeout);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: false);
                _process.WaitForExit(5_000);
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task<string> ReadLineAsync(ChannelReader<string> lines, Func<string, bool> wanted, string missing, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await foreach (string line in lines.ReadAllAsync(deadline.Token))
            {
                if (wanted(line))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        throw new TimeoutException($"{missing} within {timeout}. stdout: {Stdout} stderr: {Stderr}");
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder all, ChannelWriter<string>? lines)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (all)
            {
                all.AppendLine(line);
            }

            lines?.TryWrite(line);
        }

        lines?.TryComplete();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
