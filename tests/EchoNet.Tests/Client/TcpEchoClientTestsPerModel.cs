using EchoNet.Tests.Support;

namespace EchoNet.Tests.Client;

public sealed class IterativeTcpEchoClientTests : TcpEchoClientTests<IterativeModel>;

public sealed class SelectTcpEchoClientTests : TcpEchoClientTests<SelectModel>;

public sealed class ThreadPerClientTcpEchoClientTests : TcpEchoClientTests<ThreadPerClientModel>;

public sealed class AsyncTcpEchoClientTests : TcpEchoClientTests<AsyncModel>;

public sealed class EventLoopTcpEchoClientTests : TcpEchoClientTests<EventLoopModel>;

public sealed class EventLoopEpollTcpEchoClientTests : TcpEchoClientTests<EventLoopEpollModel>;
