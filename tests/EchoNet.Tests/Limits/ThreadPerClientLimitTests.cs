namespace EchoNet.Tests.Limits;

/// <summary>The limits suite against the thread-per-client model.</summary>
public sealed class ThreadPerClientLimitTests : TcpLimitTests
{
    protected override EchoServerBuilder UseModel(EchoServerBuilder builder) => builder.UseThreadPerClient();
}
