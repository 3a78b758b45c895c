namespace EchoNet.Tests.Samples;

public sealed class IterativeEchoServerSampleTests : ServerSampleTests
{
    protected override string Sample => "IterativeEchoServer";

    protected override string Kind => "Iterative";

    protected override bool ServesClientsConcurrently => false;
}

public sealed class SelectEchoServerSampleTests : ServerSampleTests
{
    protected override string Sample => "SelectEchoServer";

    protected override string Kind => "Select";
}

public sealed class ThreadedEchoServerSampleTests : ServerSampleTests
{
    protected override string Sample => "ThreadedEchoServer";

    protected override string Kind => "ThreadPerClient";
}

public sealed class AsyncEchoServerSampleTests : ServerSampleTests
{
    protected override string Sample => "AsyncEchoServer";

    protected override string Kind => "Async";
}

public sealed class UdpEchoServerSampleTests : ServerSampleTests
{
    protected override string Sample => "UdpEchoServer";

    protected override string Kind => "datagrams";

    protected override bool IsUdp => true;
}
