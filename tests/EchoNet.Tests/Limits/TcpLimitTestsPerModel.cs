using EchoNet.Tests.Support;

namespace EchoNet.Tests.Limits;

public sealed class SelectLimitTests : TcpLimitTests<SelectModel>;

public sealed class ThreadPerClientLimitTests : TcpLimitTests<ThreadPerClientModel>;

public sealed class AsyncLimitTests : TcpLimitTests<AsyncModel>;

public sealed class EventLoopLimitTests : TcpLimitTests<EventLoopModel>;

public sealed class EventLoopEpollLimitTests : TcpLimitTests<EventLoopEpollModel>;
