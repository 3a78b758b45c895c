using EchoNet.Tests.Support;

namespace EchoNet.Tests.Unix;

public sealed class IterativeUnixSocketTests : UnixSocketServerTests<IterativeModel>;

public sealed class SelectUnixSocketTests : UnixSocketServerTests<SelectModel>;

public sealed class ThreadPerClientUnixSocketTests : UnixSocketServerTests<ThreadPerClientModel>;

public sealed class AsyncUnixSocketTests : UnixSocketServerTests<AsyncModel>;

public sealed class EventLoopUnixSocketTests : UnixSocketServerTests<EventLoopModel>;
