namespace EchoNet.Tests.Limits;

/// <summary>The limits suite against the select model.</summary>
public sealed class SelectLimitTests : TcpLimitTests
{
    protected override EchoServerBuilder UseModel(EchoServerBuilder builder) => builder.UseSelect();
}
