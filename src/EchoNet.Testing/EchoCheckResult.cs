namespace EchoNet.Testing;

/// <summary>The outcome of one conformance check.</summary>
public sealed class EchoCheckResult
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="name">The check's stable name, such as <c>tcp.half-close</c>.</param>
    /// <param name="description">What the check does, in one line.</param>
    /// <param name="passed">Whether the server behaved as RFC 862 asks.</param>
    /// <param name="detail">What was seen: on a failure, the reason; on a pass, what was verified.</param>
    /// <param name="elapsed">How long the check took.</param>
    public EchoCheckResult(string name, string description, bool passed, string detail, TimeSpan elapsed)
    {
        Name = name;
        Description = description;
        Passed = passed;
        Detail = detail;
        Elapsed = elapsed;
    }

    /// <summary>Gets the check's stable name, such as <c>tcp.half-close</c> or <c>udp.datagram-1500</c>.</summary>
    public string Name { get; }

    /// <summary>Gets what the check does, in one line.</summary>
    public string Description { get; }

    /// <summary>Gets a value indicating whether the server behaved as RFC 862 asks.</summary>
    public bool Passed { get; }

    /// <summary>Gets what was seen: on a failure, the reason (such as a truncated answer); on a pass, what was verified.</summary>
    public string Detail { get; }

    /// <summary>Gets how long the check took.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Returns one line: PASS or FAIL, the name and the detail.</summary>
    /// <returns>The line.</returns>
    public override string ToString() => $"{(Passed ? "PASS" : "FAIL")} {Name}: {Detail}";
}
