using System.Globalization;
using EchoNet.Testing;

namespace EchoNet.Cli.Commands;

/// <summary>Prints each conformance result as its check ends, so a slow server shows where it is.</summary>
internal sealed class CheckResultPrinter(TextWriter output) : IProgress<EchoCheckResult>
{
    public void Report(EchoCheckResult value) => output.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"{(value.Passed ? "PASS" : "FAIL")}  {value.Name,-24} {value.Detail} ({value.Elapsed.TotalMilliseconds:N0} ms)"));
}
