namespace EchoNet.Tests.Limits;

/// <summary>The limits suite against the async model.</summary>
public sealed class AsyncLimitTests : TcpLimitTests
{
    protected override EchoServerBuilder UseModel(EchoServerBuilder builder) => builder.UseAsync();
}
