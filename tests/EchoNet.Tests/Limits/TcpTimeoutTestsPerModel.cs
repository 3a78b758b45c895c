using EchoNet.Tests.Support;

namespace EchoNet.Tests.Limits;

public sealed class IterativeTimeoutTests : TcpTimeoutTests<IterativeModel>;

public sealed class SelectTimeoutTests : TcpTimeoutTests<SelectModel>;

public sealed class ThreadPerClientTimeoutTests : TcpTimeoutTests<ThreadPerClientModel>;

public sealed class AsyncTimeoutTests : TcpTimeoutTests<AsyncModel>;

public sealed class EventLoopTimeoutTests : TcpTimeoutTests<EventLoopModel>;

public sealed class EventLoopEpollTimeoutTests : TcpTimeoutTests<EventLoopEpollModel>;
