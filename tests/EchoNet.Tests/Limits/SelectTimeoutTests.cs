namespace EchoNet.Tests.Limits;

/// <summary>The timeout suite against the select model.</summary>
public sealed class SelectTimeoutTests : TcpTimeoutTests
{
    protected override EchoServerBuilder UseModel(EchoServerBuilder builder) => builder.UseSelect();
}
