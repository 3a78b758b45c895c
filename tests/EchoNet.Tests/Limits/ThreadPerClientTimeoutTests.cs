namespace EchoNet.Tests.Limits;

/// <summary>The timeout suite against the thread-per-client model.</summary>
public sealed class ThreadPerClientTimeoutTests : TcpTimeoutTests
{
    protected override EchoServerBuilder UseModel(EchoServerBuilder builder) => builder.UseThreadPerClient();
}
