using EchoNet.Tests.Support;

namespace EchoNet.Tests.Tls;

public sealed class IterativeTlsEchoTests : TlsEchoTests<IterativeModel>;

public sealed class ThreadPerClientTlsEchoTests : TlsEchoTests<ThreadPerClientModel>;

public sealed class AsyncTlsEchoTests : TlsEchoTests<AsyncModel>;
