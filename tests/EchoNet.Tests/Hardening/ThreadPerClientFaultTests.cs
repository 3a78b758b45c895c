namespace EchoNet.Tests.Hardening;

/// <summary>The fault suite against the thread-per-client model.</summary>
public sealed class ThreadPerClientFaultTests : TcpFaultTests
{
    protected override EchoServerBuilder UseModel(EchoServerBuilder builder) => builder.UseThreadPerClient();
}
