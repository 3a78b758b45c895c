using EchoNet.Tests.Support;

namespace EchoNet.Tests.Servers;

public sealed class IterativeServerTests : TcpEchoServerTests<IterativeModel>;

public sealed class SelectServerTests : TcpEchoServerTests<SelectModel>;

public sealed class ThreadPerClientServerTests : TcpEchoServerTests<ThreadPerClientModel>;

public sealed class AsyncServerTests : TcpEchoServerTests<AsyncModel>;

public sealed class EventLoopServerTests : TcpEchoServerTests<EventLoopModel>;

public sealed class EventLoopEpollServerTests : TcpEchoServerTests<EventLoopEpollModel>;
