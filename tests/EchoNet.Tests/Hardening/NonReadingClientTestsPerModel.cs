using EchoNet.Tests.Support;

namespace EchoNet.Tests.Hardening;

[Collection(nameof(ProcessMemoryMeasurements))]
public sealed class IterativeNonReadingClientTests : NonReadingClientTests<IterativeModel>;

[Collection(nameof(ProcessMemoryMeasurements))]
public sealed class SelectNonReadingClientTests : NonReadingClientTests<SelectModel>;

[Collection(nameof(ProcessMemoryMeasurements))]
public sealed class ThreadPerClientNonReadingClientTests : NonReadingClientTests<ThreadPerClientModel>;

[Collection(nameof(ProcessMemoryMeasurements))]
public sealed class AsyncNonReadingClientTests : NonReadingClientTests<AsyncModel>;

[Collection(nameof(ProcessMemoryMeasurements))]
public sealed class EventLoopNonReadingClientTests : NonReadingClientTests<EventLoopModel>;

[Collection(nameof(ProcessMemoryMeasurements))]
public sealed class EventLoopEpollNonReadingClientTests : NonReadingClientTests<EventLoopEpollModel>;
