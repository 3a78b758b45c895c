// Course §2.1: one thread serves every client with a Socket.Select readiness loop.
using EchoNet;
using EchoNet.Samples;

return await ServerSample.RunAsync(args, builder => builder.UseSelect());
