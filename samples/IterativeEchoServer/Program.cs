// Course §1.2: accept one client, echo until it closes, then accept the next; the rest wait in a backlog of 1.
using EchoNet;
using EchoNet.Samples;

return await ServerSample.RunAsync(args, builder => builder.UseIterative().UseBacklog(1));
