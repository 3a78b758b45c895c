// Course §2.2: the accept loop hands each client to a thread of its own.
using EchoNet;
using EchoNet.Samples;

return await ServerSample.RunAsync(args, builder => builder.UseThreadPerClient());
