namespace EchoNet.Tests.Servers;

/// <summary>The shared suite against the thread-per-client model.</summary>
public sealed class ThreadPerClientServerTests : TcpEchoServerTests
{
    protected override EchoServerBuilder UseModel(EchoServerBuilder builder) => builder.UseThreadPerClient();
}
