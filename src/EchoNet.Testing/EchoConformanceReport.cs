using System.Globalization;
using System.Net;
using System.Text;

namespace EchoNet.Testing;

/// <summary>The results of <see cref="EchoConformance.RunAsync"/>: one per check, in the order they ran.</summary>
public sealed class EchoConformanceReport
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="endPoint">The server that was checked.</param>
    /// <param name="results">The result of every check.</param>
    public EchoConformanceReport(EndPoint endPoint, IReadOnlyList<EchoCheckResult> results)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        ArgumentNullException.ThrowIfNull(results);
        EndPoint = endPoint;
        Results = results;
    }

    /// <summary>Gets the server that was checked.</summary>
    public EndPoint EndPoint { get; }

    /// <summary>Gets the result of every check, in the order they ran.</summary>
    public IReadOnlyList<EchoCheckResult> Results { get; }

    /// <summary>Gets a value indicating whether every check passed.</summary>
    public bool Passed => Results.Count > 0 && Results.All(static result => result.Passed);

    /// <summary>Gets the checks that failed.</summary>
    public IEnumerable<EchoCheckResult> Failures => Results.Where(static result => !result.Passed);

    /// <summary>Returns one line per check, then a summary line; suited to a test's failure message.</summary>
    /// <returns>The lines.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (EchoCheckResult result in Results)
        {
            text.AppendLine(result.ToString());
        }

        int failed = Results.Count(static result => !result.Passed);
        return text.Append(CultureInfo.InvariantCulture, $"{EndPoint}: {Results.Count - failed} passed, {failed} failed").ToString();
    }
}
