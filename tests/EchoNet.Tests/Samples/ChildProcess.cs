using System.Diagnostics;
using System.Text;

namespace EchoNet.Tests.Samples;

/// <summary>
/// A program run by a test with its standard streams redirected (UTF-8). Every wait is bounded; disposing kills the
/// process (by its id) if it is still running.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly Process _process;

    private ChildProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public static ChildProcess Start(string fileName, params IEnumerable<string> arguments) =>
        StartIn(workingDirectory: "", fileName, arguments);

    /// <summary>Starts a program in <paramref name="workingDirectory"/> (empty: this process's current directory).</summary>
    public static ChildProcess StartIn(string workingDirectory, string fileName, params IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        return new ChildProcess(Process.Start(startInfo) ?? throw new InvalidOperationException($"{fileName} did not start."));
    }

    public static ChildProcess StartSample(string sample, params IEnumerable<string> arguments) =>
        Start(SampleBuildOutput.DotnetHost(), [SampleBuildOutput.AssemblyPath(sample), .. arguments]);

    public static ChildProcess StartSampleIn(string workingDirectory, string sample, params IEnumerable<string> arguments) =>
        StartIn(workingDirectory, SampleBuildOutput.DotnetHost(), [SampleBuildOutput.AssemblyPath(sample), .. arguments]);

    public async Task<string> ReadLineAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        await _process.StandardOutput.ReadLineAsync(cancellationToken).AsTask().WaitAsync(timeout, cancellationToken)
        ?? throw new EndOfStreamException($"{_process.StartInfo.FileName} closed its output; its errors: {await ReadErrorToEndAsync(timeout, cancellationToken)}");

    public async Task<string> ReadErrorLineAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        await _process.StandardError.ReadLineAsync(cancellationToken).AsTask().WaitAsync(timeout, cancellationToken)
        ?? throw new EndOfStreamException($"{_process.StartInfo.FileName} closed its error output.");

    public Task<string> ReadToEndAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _process.StandardOutput.ReadToEndAsync(cancellationToken).WaitAsync(timeout, cancellationToken);

    public Task<string> ReadErrorToEndAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _process.StandardError.ReadToEndAsync(cancellationToken).WaitAsync(timeout, cancellationToken);

    /// <summary>Writes <paramref name="input"/> to the process's standard input and closes it.</summary>
    public async Task WriteInputAndCloseAsync(string input, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken).WaitAsync(timeout, cancellationToken);
        _process.StandardInput.Close();
    }

    /// <summary>Sends SIGTERM to this process, by its id, as a service manager or <c>kill</c> would.</summary>
    public async Task TerminateAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using Process kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync(cancellationToken).WaitAsync(timeout, cancellationToken);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken).WaitAsync(timeout, cancellationToken);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // Already gone, or not reaped in time: nothing more a test can do about it.
        }
        finally
        {
            _process.Dispose();
        }
    }
}
