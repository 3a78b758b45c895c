namespace EchoNet.Tests.Support;

/// <summary>
/// A TCP concurrency model under test: how a builder chooses it, what the tool and the samples call it, and what the
/// suites may expect of it. A suite is generic in its model (<c>TcpEchoServerTests&lt;TModel&gt;</c>) and runs
/// through one sealed subclass per model; a new model is a new type here and a line per suite.
/// </summary>
public interface ITcpModel
{
    /// <summary>Gets the model as the library names it; a server built with <see cref="Use"/> reports it.</summary>
    static abstract EchoConcurrencyModel Model { get; }

    /// <summary>Gets the arguments that choose the model on the command line: <c>echonet serve --model NAME</c>, and more where it has them.</summary>
    static abstract string[] ServeArguments { get; }

    /// <summary>Gets the project name of the sample that serves this model.</summary>
    static abstract string Sample { get; }

    /// <summary>Gets whether the model serves clients at the same time (all but the iterative one).</summary>
    static abstract bool ServesClientsConcurrently { get; }

    /// <summary>Chooses the model on <paramref name="builder"/>, by the builder method a reader would call.</summary>
    static abstract EchoServerBuilder Use(EchoServerBuilder builder);
}

/// <summary>One client at a time on one thread; the next waits in the backlog.</summary>
public sealed class IterativeModel : ITcpModel
{
    public static EchoConcurrencyModel Model => EchoConcurrencyModel.Iterative;

    public static string[] ServeArguments => ["--model", "iterative"];

    public static string Sample => "IterativeEchoServer";

    public static bool ServesClientsConcurrently => false;

    public static EchoServerBuilder Use(EchoServerBuilder builder) => builder.UseIterative();
}

/// <summary>One thread and a readiness loop over every client.</summary>
public sealed class SelectModel : ITcpModel
{
    public static EchoConcurrencyModel Model => EchoConcurrencyModel.Select;

    public static string[] ServeArguments => ["--model", "select"];

    public static string Sample => "SelectEchoServer";

    public static bool ServesClientsConcurrently => true;

    public static EchoServerBuilder Use(EchoServerBuilder builder) => builder.UseSelect();
}

/// <summary>A dedicated thread for each client.</summary>
public sealed class ThreadPerClientModel : ITcpModel
{
    public static EchoConcurrencyModel Model => EchoConcurrencyModel.ThreadPerClient;

    public static string[] ServeArguments => ["--model", "thread-per-client"];

    public static string Sample => "ThreadedEchoServer";

    public static bool ServesClientsConcurrently => true;

    public static EchoServerBuilder Use(EchoServerBuilder builder) => builder.UseThreadPerClient();
}

/// <summary>Async/await on the thread pool: the portable model.</summary>
public sealed class AsyncModel : ITcpModel
{
    public static EchoConcurrencyModel Model => EchoConcurrencyModel.Async;

    public static string[] ServeArguments => ["--model", "async"];

    public static string Sample => "AsyncEchoServer";

    public static bool ServesClientsConcurrently => true;

    public static EchoServerBuilder Use(EchoServerBuilder builder) => builder.UseAsync();
}

/// <summary>EchoNet's own event loops, one per core, on io_uring (forced, so a kernel that refuses it fails the suite): the default on Linux on x64.</summary>
public sealed class EventLoopModel : ITcpModel
{
    public static EchoConcurrencyModel Model => EchoConcurrencyModel.EventLoop;

    public static string[] ServeArguments => ["--model", "eventloop", "--backend", "io_uring"];

    public static string Sample => "EventLoopEchoServer";

    public static bool ServesClientsConcurrently => true;

    public static EchoServerBuilder Use(EchoServerBuilder builder) => builder.UseEventLoop(backend: EchoEventLoopBackend.IoUring);
}

/// <summary>The event loops on their epoll backend, the one that runs where io_uring is refused.</summary>
public sealed class EventLoopEpollModel : ITcpModel
{
    public static EchoConcurrencyModel Model => EchoConcurrencyModel.EventLoop;

    public static string[] ServeArguments => ["--model", "eventloop", "--backend", "epoll"];

    public static string Sample => "EventLoopEchoServer";

    public static bool ServesClientsConcurrently => true;

    public static EchoServerBuilder Use(EchoServerBuilder builder) => builder.UseEventLoop(backend: EchoEventLoopBackend.Epoll);
}
