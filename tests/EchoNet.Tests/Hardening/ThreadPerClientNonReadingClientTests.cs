namespace EchoNet.Tests.Hardening;

/// <summary>The non-reading client test against the thread-per-client model.</summary>
[Collection(nameof(ProcessMemoryMeasurements))]
public sealed class ThreadPerClientNonReadingClientTests : NonReadingClientTests
{
    protected override EchoServerBuilder UseModel(EchoServerBuilder builder) => builder.UseThreadPerClient();
}
