using EchoNet.Tests.Support;

namespace EchoNet.Tests.Samples;

/// <summary>A TCP server sample: its project, its listening line and its concurrency are its model's.</summary>
public abstract class TcpServerSampleTests<TModel> : ServerSampleTests
    where TModel : ITcpModel
{
    protected override string Sample => TModel.Sample;

    protected override string Kind => TModel.Model.ToString();

    protected override bool ServesClientsConcurrently => TModel.ServesClientsConcurrently;
}

public sealed class IterativeEchoServerSampleTests : TcpServerSampleTests<IterativeModel>;

public sealed class SelectEchoServerSampleTests : TcpServerSampleTests<SelectModel>;

public sealed class ThreadedEchoServerSampleTests : TcpServerSampleTests<ThreadPerClientModel>;

public sealed class AsyncEchoServerSampleTests : TcpServerSampleTests<AsyncModel>;

public sealed class EventLoopEchoServerSampleTests : TcpServerSampleTests<EventLoopModel>;

public sealed class UdpEchoServerSampleTests : ServerSampleTests
{
    protected override string Sample => "UdpEchoServer";

    protected override string Kind => "datagrams";

    protected override bool IsUdp => true;
}
