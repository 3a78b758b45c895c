namespace EchoNet.Tests.Limits;

/// <summary>The timeout suite against the iterative model.</summary>
public sealed class IterativeTimeoutTests : TcpTimeoutTests
{
    protected override EchoServerBuilder UseModel(EchoServerBuilder builder) => builder.UseIterative();
}
