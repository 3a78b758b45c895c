// Beyond the course: async/await on the runtime's socket engine, the scalable default.
using EchoNet;
using EchoNet.Samples;

// The echo loop never blocks, so its continuations may run on the socket engine's own epoll thread instead of
// hopping to the thread pool (0.71× the C reference instead of 0.45× with 100 clients). The runtime reads this once,
// at the first socket operation; a setting made outside wins.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

return await ServerSample.RunAsync(args, builder => builder.UseAsync());
