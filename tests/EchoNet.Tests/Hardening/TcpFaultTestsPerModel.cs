using EchoNet.Tests.Support;

namespace EchoNet.Tests.Hardening;

public sealed class IterativeFaultTests : TcpFaultTests<IterativeModel>;

public sealed class SelectFaultTests : TcpFaultTests<SelectModel>;

public sealed class ThreadPerClientFaultTests : TcpFaultTests<ThreadPerClientModel>;

public sealed class AsyncFaultTests : TcpFaultTests<AsyncModel>;

public sealed class EventLoopFaultTests : TcpFaultTests<EventLoopModel>;

public sealed class EventLoopEpollFaultTests : TcpFaultTests<EventLoopEpollModel>;
