// Course §1.4: every datagram is answered with one datagram of the same bytes.
using EchoNet;
using EchoNet.Samples;

return await ServerSample.RunAsync(args, builder => builder.UseUdp());
